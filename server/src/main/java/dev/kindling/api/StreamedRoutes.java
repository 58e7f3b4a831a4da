package dev.kindling.api;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Requests on the one port whose bodies are too large to read whole (S3's objects, up to 5 GB in one PUT): told
 * apart before any other routing, then given the request to read and the response to write as they stream. Such
 * routes verify signatures and write errors themselves, in their own protocol.
 */
interface StreamedRoutes {
    /** Whether the request is for these routes; its body is not read yet. */
    boolean claims(ApiRequest request);

    /** Serves the request: reads its body from {@code request}, answers on {@code response}, completes {@code done}. */
    void serve(ApiRequest api, Request request, Response response, Callback done);
}
