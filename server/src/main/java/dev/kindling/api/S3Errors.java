package dev.kindling.api;

import dev.kindling.LambdaException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** S3's error document ({@code <Error><Code>...}), and S3's names for the errors Kindling raises before S3 does. */
final class S3Errors {
    private S3Errors() {}

    /** An error answer: status, code, message, extra elements (ArgumentName, BucketName, ...) in order. */
    record S3Error(int status, String code, String message, List<Map.Entry<String, String>> details) {
        S3Error(int status, String code, String message) {
            this(status, code, message, List.of());
        }

        byte[] xml(String requestId, String hostId) {
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>")
                    .append(code).append("</Code><Message>").append(escape(message)).append("</Message>");
            for (Map.Entry<String, String> detail : details) {
                xml.append('<').append(detail.getKey()).append('>').append(escape(detail.getValue())).append("</")
                        .append(detail.getKey()).append('>');
            }
            xml.append("<RequestId>").append(requestId).append("</RequestId><HostId>").append(hostId)
                    .append("</HostId></Error>");
            return xml.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A request S3 refuses with {@code error}, thrown where the refusal is found. */
    static final class Refused extends RuntimeException {
        private final S3Error error;

        Refused(S3Error error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        S3Error error() {
            return error;
        }
    }

    /** A failed signature or credential check, as S3 reports it. */
    static S3Error of(LambdaException e) {
        return switch (e.type()) {
            case MissingAuthenticationTokenException, AccessDeniedException ->
                    new S3Error(403, "AccessDenied", e.getMessage());
            case UnrecognizedClientException -> new S3Error(403, "InvalidAccessKeyId",
                    "The AWS Access Key Id you provided does not exist in our records.");
            case ExpiredTokenException -> new S3Error(400, "ExpiredToken", "The provided token has expired.");
            case InvalidSignatureException -> e.getMessage().startsWith("Signature expired")
                    ? new S3Error(403, "RequestTimeTooSkewed",
                            "The difference between the request time and the current time is too large.")
                    : new S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match"
                            + " the signature you provided. Check your key and signing method.");
            case InvalidRequestContentException, InvalidParameterValueException ->
                    new S3Error(400, "InvalidRequest", e.getMessage());
            default -> new S3Error(500, "InternalError", "We encountered an internal error. Please try again.");
        };
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
