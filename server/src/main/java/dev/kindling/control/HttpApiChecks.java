package dev.kindling.control;

import dev.kindling.store.CorsSettings;
import dev.kindling.store.HttpApiRouteRecord;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The values of HTTP API requests that API Gateway checks, each refused with a BadRequestException saying why. */
final class HttpApiChecks {
    private static final Pattern STAGE_NAME = Pattern.compile("[A-Za-z0-9_\\-]{1,128}");
    private static final Pattern STAGE_VARIABLE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final List<String> PAYLOAD_FORMATS = List.of("1.0", "2.0");
    private static final Set<String> CORS_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD",
            "OPTIONS", "*");

    private HttpApiChecks() {}

    static String name(String name) {
        if (name.isEmpty() || name.length() > 128) {
            throw HttpApiException.badRequest("Invalid API name: 1 to 128 characters, not " + name.length() + ".");
        }
        return name;
    }

    static void protocol(String protocol) {
        if (protocol.equals("WEBSOCKET")) {
            throw HttpApiException.badRequest("Kindling serves HTTP APIs only: ProtocolType WEBSOCKET is not"
                    + " supported.");
        }
        if (!protocol.equals("HTTP")) {
            throw HttpApiException.badRequest("Invalid protocol type '" + protocol + "': HTTP or WEBSOCKET.");
        }
    }

    static void routeSelection(String expression) {
        if (!expression.equals("${request.method} ${request.path}")
                && !expression.equals("$request.method $request.path")) {
            throw HttpApiException.badRequest("Unsupported route selection expression for HTTP APIs: '" + expression
                    + "'. HTTP APIs route by ${request.method} ${request.path}.");
        }
    }

    /** What a browser could act on: HTTP methods or *, origins as scheme://host[:port] or *, no credentials for *. */
    static void cors(CorsSettings cors) {
        for (String method : cors.allowMethods().orElse(List.of())) {
            if (!CORS_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
                throw HttpApiException.badRequest("Invalid CORS configuration: allowMethods holds '" + method
                        + "', not an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS) or *.");
            }
        }
        for (String origin : cors.origins()) {
            if (!origin.equals("*") && !origin.matches("[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s]+")) {
                throw HttpApiException.badRequest("Invalid CORS configuration: allowOrigins holds '" + origin
                        + "', neither * nor an origin such as https://example.com.");
            }
        }
        if (cors.allowCredentials().orElse(false) && cors.origins().contains("*")) {
            throw HttpApiException.badRequest("Invalid CORS configuration: allowCredentials cannot be true when"
                    + " allowOrigins is *; name the origins.");
        }
    }

    /** An integration type Kindling serves: AWS_PROXY (with a Lambda function). */
    static void integrationType(String type) {
        switch (type) {
            case "AWS_PROXY" -> { }
            case "HTTP_PROXY" -> throw HttpApiException.badRequest("Kindling integrates HTTP APIs with Lambda"
                    + " functions only (AWS_PROXY): HTTP_PROXY integrations are not supported.");
            case "AWS", "HTTP", "MOCK" -> throw HttpApiException.badRequest("Integration type " + type
                    + " is not supported for HTTP APIs: use AWS_PROXY.");
            default -> throw HttpApiException.badRequest("Invalid integration type '" + type + "': use AWS_PROXY.");
        }
    }

    static void payloadFormat(String format) {
        if (!PAYLOAD_FORMATS.contains(format)) {
            throw HttpApiException.badRequest("Invalid payload format version '" + format
                    + "': the supported versions are 1.0 and 2.0.");
        }
    }

    static void timeout(int millis) {
        if (millis < 50 || millis > 30_000) {
            throw HttpApiException.badRequest("TimeoutInMillis must be between 50 and 30000 for an HTTP API, not "
                    + millis + ".");
        }
    }

    /** A route's AuthorizationType: NONE or AWS_IAM; JWT and CUSTOM (authorizers) are not served. */
    static HttpApiRouteRecord.Authorization authorization(String type) {
        return switch (type) {
            case "NONE" -> HttpApiRouteRecord.Authorization.NONE;
            case "AWS_IAM" -> HttpApiRouteRecord.Authorization.AWS_IAM;
            case "JWT", "CUSTOM" -> throw HttpApiException.badRequest("Kindling does not support authorizers:"
                    + " AuthorizationType " + type + " (routes take NONE or AWS_IAM).");
            default -> throw HttpApiException.badRequest("Invalid authorization type '" + type
                    + "': NONE, AWS_IAM, JWT or CUSTOM.");
        };
    }

    static void stageName(String name) {
        if (!name.equals(HttpApiService.DEFAULT_STAGE) && !STAGE_NAME.matcher(name).matches()) {
            throw HttpApiException.badRequest("Invalid stage name '" + name + "': $default, or 1 to 128 letters,"
                    + " digits, '-' and '_'.");
        }
    }

    static void stageVariables(Map<String, String> variables) {
        variables.forEach((variable, value) -> {
            if (!STAGE_VARIABLE_NAME.matcher(variable).matches()) {
                throw HttpApiException.badRequest("Invalid stage variable name '" + variable + "': 1 to 64 letters,"
                        + " digits and '_'.");
            }
            if (value.length() > 2048) {
                throw HttpApiException.badRequest("The value of stage variable '" + variable
                        + "' is longer than 2048 characters.");
            }
        });
    }
}
