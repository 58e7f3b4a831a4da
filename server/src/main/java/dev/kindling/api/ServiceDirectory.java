package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells which AWS service a request on the one port is for: the service named in its SigV4 credential scope
 * ({@code Credential=<key>/<date>/<region>/<service>/aws4_request}), or for a request without a signature the
 * service its {@code X-Amz-Target} names; anything else is Lambda's (function URLs, signed code downloads). A
 * service Kindling does not serve still gets an error its clients can parse.
 */
final class ServiceDirectory {
    /** Services whose clients read XML errors (the query protocol, and S3's REST-XML). */
    private static final Set<String> XML_SERVICES = Set.of("iam", "sts", "s3", "sqs", "sns", "ec2", "cloudformation",
            "monitoring", "elasticloadbalancing", "rds", "ses");

    private final Router lambda;
    private final Map<String, ServiceRoutes> bySigningName = new HashMap<>();
    private final List<ServiceRoutes> others;

    ServiceDirectory(Router lambda, List<ServiceRoutes> others) {
        this.lambda = lambda;
        this.others = others;
        bySigningName.put(lambda.signingName(), lambda);
        others.forEach(s -> bySigningName.put(s.signingName(), s));
    }

    ServiceRoutes serviceOf(ApiRequest request) {
        Optional<String> signedFor = request.header("Authorization").flatMap(ServiceDirectory::scopeService);
        if (signedFor.isPresent()) {
            ServiceRoutes known = bySigningName.get(signedFor.get());
            return known != null ? known.forRequest(request)
                    : new NotServed(signedFor.get(), request.header("X-Amz-Target").isPresent());
        }
        for (ServiceRoutes service : others) {
            if (service instanceof JsonProtocolRouter json && json.targets(request)) {
                return service;
            }
        }
        return lambda;
    }

    /**
     * The service of the SigV4 credential scope in an Authorization header
     * ({@code Credential=<key>/<date>/<region>/<service>/aws4_request}), read without a regular expression: this runs
     * on every request.
     */
    static Optional<String> scopeService(String authorization) {
        int start = authorization.indexOf("Credential=");
        if (start < 0) {
            return Optional.empty();
        }
        start += "Credential=".length();
        int end = start;
        while (end < authorization.length() && authorization.charAt(end) != ','
                && !Character.isWhitespace(authorization.charAt(end))) {
            end++;
        }
        String[] scope = authorization.substring(start, end).split("/", -1);
        boolean wellFormed = scope.length == 5 && scope[4].equals("aws4_request") && scope[1].length() == 8
                && scope[1].chars().allMatch(Character::isDigit) && !scope[0].isEmpty() && !scope[2].isEmpty()
                && !scope[3].isEmpty();
        return wellFormed ? Optional.of(scope[3]) : Optional.empty();
    }

    /** A service Kindling does not serve: every request fails, in the protocol its clients read. */
    private record NotServed(String name, boolean json) implements ServiceRoutes {
        @Override
        public String signingName() {
            return name;
        }

        @Override
        public Router.Match route(ApiRequest request) {
            throw new LambdaException(ErrorType.UnknownOperationException,
                    "Kindling does not serve the AWS service '" + name + "' (yet)");
        }

        @Override
        public ApiResponse error(LambdaException e) {
            String code = e.type() == ErrorType.UnknownOperationException ? "NotImplemented" : e.type().name();
            int status = e.type() == ErrorType.UnknownOperationException ? 501 : e.type().status();
            if (json || !XML_SERVICES.contains(name)) {
                return ApiResponse.bytes(status, Json.bytes(Json.object().put("__type", code)
                        .put("message", e.getMessage())), "application/x-amz-json-1.1")
                        .withHeader("x-amzn-ErrorType", code);
            }
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>"
                    + code + "</Code><Message>" + escape(e.getMessage()) + "</Message></Error></ErrorResponse>";
            return ApiResponse.bytes(status, xml.getBytes(StandardCharsets.UTF_8), "text/xml");
        }

        private static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }
}
