package dev.kindling.api;

import dev.kindling.triggers.HttpAnswer;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a request {@link DirectRoutes} claimed: reads its body within the routes' limit (413 past it, the rest
 * drained so the client sees the answer), and writes the answer with every header as given (a name may repeat), its
 * length, and the request id. A failure inside the routes is a 502, never a broken connection.
 */
final class DirectAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(DirectAnswers.class);

    private DirectAnswers() {}

    static void serve(DirectRoutes routes, ApiRequest api, Request request, Response response, Callback callback) {
        HttpAnswer answer;
        try {
            byte[] body = Content.Source.asByteArrayAsync(request, routes.maxBodyBytes()).get();
            answer = routes.serve(api.withBody(body), Request.getRemoteAddr(request),
                    request.getConnectionMetaData().getProtocol());
        } catch (ExecutionException | IllegalStateException e) { // Jetty reports "max size exceeded" either way
            try {
                Content.Source.consumeAll(request);
            } catch (Exception drained) {
                // what is left is discarded with the connection
            }
            answer = HttpAnswer.text(413, "application/json", "{\"Message\":\"Request must be smaller than "
                    + routes.maxBodyBytes() + " bytes for the InvokeFunction operation\"}");
        } catch (Exception e) {
            LOG.error("request {} {} failed", api.method(), api.rawPath(), e);
            answer = HttpAnswer.text(502, "application/json", "Internal Server Error");
        }
        send(answer, api.requestId(), response, callback);
    }

    private static void send(HttpAnswer answer, String requestId, Response response, Callback callback) {
        response.setStatus(answer.status());
        var headers = response.getHeaders();
        headers.put("x-amzn-RequestId", requestId);
        for (Map.Entry<String, String> header : answer.headers()) {
            if (!header.getKey().equalsIgnoreCase("Content-Length")) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        headers.put(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, answer.body().length));
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

}
