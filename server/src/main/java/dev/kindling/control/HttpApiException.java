package dev.kindling.control;

/**
 * A failure of an API Gateway v2 request, carried as the error API Gateway answers with: its type names the error
 * shape of the apigatewayv2 model (and the HTTP status it has there).
 */
public final class HttpApiException extends RuntimeException {
    private final Type type;

    public HttpApiException(Type type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public Type type() {
        return type;
    }

    public static HttpApiException notFound(String message) {
        return new HttpApiException(Type.NotFoundException, message);
    }

    public static HttpApiException badRequest(String message) {
        return new HttpApiException(Type.BadRequestException, message);
    }

    public static HttpApiException conflict(String message) {
        return new HttpApiException(Type.ConflictException, message);
    }

    /** The error shapes of the apigatewayv2 model that Kindling answers with. */
    public enum Type {
        BadRequestException(400),
        NotFoundException(404),
        ConflictException(409);

        private final int status;

        Type(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
