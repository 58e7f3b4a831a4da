package dev.kindling.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.kindling.iam.Identity;
import org.eclipse.jetty.http.HttpFields;

/**
 * One HTTP request to the AWS API, read whole.
 *
 * @param requestId the x-amzn-RequestId of the answer; an invocation runs under the same id, as on AWS
 * @param rawPath the path as sent, still percent-encoded (what SigV4 signed)
 * @param rawQuery the query as sent, or empty
 * @param pathParams the route's decoded path segments, by name
 * @param caller who signed the request, once its signature is verified; empty before, and for unsigned routes
 */
public record ApiRequest(
        String requestId,
        String method,
        String rawPath,
        String rawQuery,
        HttpFields headers,
        byte[] body,
        Map<String, String> pathParams,
        Optional<Identity> caller) {

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** Every value of a query parameter, decoded, in order. */
    public List<String> queryParams(String name) {
        List<String> values = new ArrayList<>();
        if (rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                values.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    public Optional<String> queryParam(String name) {
        List<String> values = queryParams(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    ApiRequest withBody(byte[] newBody) {
        return new ApiRequest(requestId, method, rawPath, rawQuery, headers, newBody, pathParams, caller);
    }

    ApiRequest withCaller(Identity signer) {
        return new ApiRequest(requestId, method, rawPath, rawQuery, headers, body, pathParams, Optional.of(signer));
    }

    ApiRequest withPathParams(Map<String, String> params) {
        return new ApiRequest(requestId, method, rawPath, rawQuery, headers, body, params, caller);
    }

    static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
