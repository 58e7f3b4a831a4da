package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.services.ElasticMq;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * SQS on Kindling's one port: a request signed for {@code sqs} is checked here like every request, then forwarded
 * unchanged (method, path, query, body, protocol headers) to the embedded ElasticMQ, whose answer goes back as it
 * is. ElasticMQ speaks both of SQS's wire protocols: the query protocol (form-encoded {@code Action=...} POSTs,
 * XML answers; older CLIs) and the JSON protocol ({@code X-Amz-Target: AmazonSQS.<Operation>}; current SDKs).
 * Errors raised before forwarding (a bad signature) are written in the protocol the request used.
 */
public final class SqsApi implements ApiServer.Service {
    private static final String TARGET_PREFIX = "AmazonSQS.";
    /** The headers that carry meaning to SQS besides the body; the rest (signature, host) are Kindling's. */
    private static final List<String> FORWARDED = List.of("Content-Type", "X-Amz-Target", "X-Amzn-Query-Mode",
            "Accept");
    /** SQS's default (and largest) MaximumMessageSize. */
    private static final int MAX_MESSAGE_BYTES = 1_048_576;
    /** Long enough for a ReceiveMessage that waits its 20 s at most. */
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(30);

    private final ElasticMq elasticMq;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** @param elasticMq the embedded SQS, started by the first request that needs it */
    public SqsApi(ElasticMq elasticMq) {
        this.elasticMq = elasticMq;
    }

    @Override
    public ServiceRoutes routes() {
        return new Routes(false);
    }

    /** SQS's routes; {@code json} says in which protocol errors are written (the request's). */
    private final class Routes implements ServiceRoutes {
        private final boolean json;

        Routes(boolean json) {
            this.json = json;
        }

        @Override
        public String signingName() {
            return "sqs";
        }

        @Override
        public ServiceRoutes forRequest(ApiRequest request) {
            return new Routes(isJson(request));
        }

        @Override
        public Router.Match route(ApiRequest request) {
            String operation = request.header("X-Amz-Target").filter(t -> t.startsWith(TARGET_PREFIX))
                    .map(t -> t.substring(TARGET_PREFIX.length())).orElse("SQS");
            return new Router.Match(operation, SqsApi.this::forward, request, true);
        }

        @Override
        public ApiResponse error(LambdaException e) {
            return json ? jsonError(e.type().status(), code(e), e.getMessage())
                    : xmlError(e.type().status(), code(e), e.getMessage(), fault(e));
        }
    }

    private ApiResponse forward(ApiRequest request) throws IOException, InterruptedException {
        elasticMq.ensureStarted();
        String target = request.rawPath() + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery());
        HttpRequest.Builder forwarded = HttpRequest.newBuilder(elasticMq.internalEndpoint().resolve(target)).timeout(ANSWER_LIMIT)
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (String name : FORWARDED) {
            request.header(name).ifPresent(value -> forwarded.header(name, value));
        }
        HttpResponse<byte[]> answer = http.send(forwarded.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() == 400 && tooLong(answer.body())) {
            // ElasticMQ names this InvalidAttributeValue "MessageTooLong"; SQS answers as below.
            String message = "One or more parameters are invalid. Reason: Message must be shorter than "
                    + MAX_MESSAGE_BYTES + " bytes.";
            return isJson(request) ? jsonError(400, "InvalidParameterValue", message)
                    : xmlError(400, "InvalidParameterValue", message, "Sender");
        }
        ApiResponse response = ApiResponse.bytes(answer.statusCode(), answer.body(),
                answer.headers().firstValue("Content-Type").orElse(null));
        answer.headers().firstValue("x-amzn-query-error").ifPresent(v -> response.withHeader("x-amzn-query-error", v));
        return response;
    }

    private static boolean isJson(ApiRequest request) {
        return request.header("X-Amz-Target").map(t -> t.startsWith(TARGET_PREFIX)).orElse(false);
    }

    private static boolean tooLong(byte[] errorBody) {
        String text = new String(errorBody, StandardCharsets.UTF_8);
        return text.contains("InvalidAttributeValue") && text.contains("MessageTooLong");
    }

    /** SQS's name for an error Kindling raises before SQS sees the request. */
    private static String code(LambdaException e) {
        return switch (e.type()) {
            case InvalidSignatureException -> "SignatureDoesNotMatch";
            case UnrecognizedClientException -> "InvalidClientTokenId";
            case MissingAuthenticationTokenException -> "MissingAuthenticationToken";
            case ExpiredTokenException -> "ExpiredToken";
            case RequestEntityTooLargeException -> "RequestEntityTooLarge";
            case ServiceException -> "InternalError";
            default -> e.type().name();
        };
    }

    private static ApiResponse jsonError(int status, String code, String message) {
        return ApiResponse.bytes(status, Json.bytes(Json.object().put("__type", "com.amazonaws.sqs#" + code)
                        .put("message", message)), "application/x-amz-json-1.0")
                .withHeader("x-amzn-query-error", code + ";Sender");
    }

    private static ApiResponse xmlError(int status, String code, String message, String fault) {
        String xml = "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
                + "<Error><Type>" + fault + "</Type><Code>" + code + "</Code><Message>" + escape(message)
                + "</Message><Detail/></Error></ErrorResponse>";
        return ApiResponse.bytes(status, xml.getBytes(StandardCharsets.UTF_8), "text/xml");
    }

    private static String fault(LambdaException e) {
        return e.type() == ErrorType.ServiceException ? "Receiver" : "Sender";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
