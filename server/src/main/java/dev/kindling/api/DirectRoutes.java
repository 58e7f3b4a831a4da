package dev.kindling.api;

import dev.kindling.triggers.HttpAnswer;

/**
 * Requests on the one port that are not AWS API calls but a trigger's own HTTP (function URLs, HTTP APIs), told
 * apart by host name or path prefix before any routing by service. {@link ApiServer} reads the body (at most
 * {@link #maxBodyBytes}, else 413) and sends the answer as it is.
 */
public interface DirectRoutes {
    /** Whether the request is for these routes; its body is not read yet. */
    boolean claims(ApiRequest request);

    /** The largest body accepted; a larger one gets a 413 without {@link #serve} being called. */
    int maxBodyBytes();

    /** Serves the request, its body read. */
    HttpAnswer serve(ApiRequest request, String sourceIp, String protocol) throws Exception;
}
