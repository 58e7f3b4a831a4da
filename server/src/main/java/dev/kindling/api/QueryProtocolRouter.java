package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.iam.IamException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The routes of one AWS query-protocol service (IAM, STS): every request is a form-encoded POST (or a GET with the
 * same parameters in its query) naming its operation in {@code Action} and the API in {@code Version}; answers are
 * XML documents ({@code <OpResponse><OpResult>...</OpResult><ResponseMetadata>}), errors {@code <ErrorResponse>}
 * documents with the status the model gives.
 */
final class QueryProtocolRouter implements ServiceRoutes {
    /** What an operation does with its parameters: the inside of its Result element, or empty for none. */
    @FunctionalInterface
    interface Operation {
        String run(QueryParameters parameters, ApiRequest request) throws Exception;
    }

    private final String signingName;
    private final String namespace;
    private final String version;
    private final Map<String, Operation> operations = new HashMap<>();

    /** @param namespace the model's xmlNamespace; @param version the model's apiVersion */
    QueryProtocolRouter(String signingName, String namespace, String version) {
        this.signingName = signingName;
        this.namespace = namespace;
        this.version = version;
    }

    QueryProtocolRouter add(String operation, Operation run) {
        operations.put(operation, run);
        return this;
    }

    @Override
    public String signingName() {
        return signingName;
    }

    @Override
    public boolean routesByBody() {
        return true;
    }

    /**
     * The operation the request names. Before its body is read only a GET's query can name one; the server routes
     * again once the body is read ({@link #routesByBody}).
     */
    @Override
    public Router.Match route(ApiRequest request) {
        QueryParameters parameters = QueryParameters.of(request);
        String action = parameters.optional("Action").orElse("");
        Operation operation = operations.get(action);
        if (operation == null) {
            if (action.isEmpty() && request.body().length == 0 && request.method().equals("POST")) {
                return new Router.Match(signingName.toUpperCase(), r -> {
                    throw new LambdaException(ErrorType.UnknownOperationException, "Action is missing");
                }, request, true);
            }
            throw new LambdaException(ErrorType.UnknownOperationException, action.isEmpty()
                    ? "The request must name its operation in the Action parameter."
                    : "Kindling does not implement the " + signingName + " operation " + action);
        }
        return new Router.Match(action, r -> answer(action, operation, QueryParameters.of(r), r), request, true);
    }

    private ApiResponse answer(String action, Operation operation, QueryParameters parameters, ApiRequest request)
            throws Exception {
        String result;
        try {
            result = operation.run(parameters, request);
        } catch (IamException e) {
            return error(e.status(), e.code(), e.getMessage(), request.requestId());
        }
        Xml xml = new Xml().raw("<" + action + "Response xmlns=\"" + namespace + "\">");
        if (!result.isEmpty()) {
            xml.open(action + "Result").raw(result).close(action + "Result");
        }
        xml.open("ResponseMetadata").text("RequestId", request.requestId()).close("ResponseMetadata")
                .close(action + "Response");
        return ApiResponse.bytes(200, xml.toString().getBytes(StandardCharsets.UTF_8), "text/xml");
    }

    @Override
    public ApiResponse error(LambdaException e) {
        String code = commonQueryCode(e.type()).orElseGet(() -> switch (e.type()) {
            case UnknownOperationException -> "InvalidAction";
            case ValidationException, InvalidParameterValueException -> "ValidationError";
            case ServiceException -> "ServiceFailure";
            default -> e.type().name();
        });
        int status = e.type() == ErrorType.UnknownOperationException ? 400 : e.type().status();
        return error(status, code, e.getMessage(), "");
    }

    /**
     * The query protocol's code for an error every service answers alike (the signature, the credentials, the
     * request's size), or empty for one each service names its own way.
     */
    static Optional<String> commonQueryCode(ErrorType type) {
        return Optional.ofNullable(switch (type) {
            case AccessDeniedException -> "AccessDenied";
            case InvalidSignatureException -> "SignatureDoesNotMatch";
            case UnrecognizedClientException -> "InvalidClientTokenId";
            case ExpiredTokenException -> "ExpiredToken";
            case MissingAuthenticationTokenException -> "MissingAuthenticationToken";
            case RequestEntityTooLargeException -> "RequestEntityTooLarge";
            default -> null;
        });
    }

    ApiResponse error(int status, String code, String message, String requestId) {
        Xml xml = new Xml().raw("<ErrorResponse xmlns=\"" + namespace + "\">").open("Error")
                .text("Type", status >= 500 ? "Receiver" : "Sender").text("Code", code).text("Message", message)
                .close("Error");
        if (!requestId.isEmpty()) {
            xml.text("RequestId", requestId);
        }
        xml.close("ErrorResponse");
        return ApiResponse.bytes(status, xml.toString().getBytes(StandardCharsets.UTF_8), "text/xml");
    }

    String version() {
        return version;
    }
}
