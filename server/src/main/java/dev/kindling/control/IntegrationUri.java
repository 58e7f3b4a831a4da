package dev.kindling.control;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda function an AWS_PROXY integration calls, read from its IntegrationUri: the function's ARN
 * ({@code arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]}), or API Gateway's invocation ARN around it
 * ({@code arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations}).
 *
 * @param functionArn the function's ARN, with its qualifier if the URI names one
 */
public record IntegrationUri(String functionArn) {
    private static final Pattern FUNCTION_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:lambda:(?<region>[a-z0-9-]+):(?<account>\\d{12}):function:[a-zA-Z0-9-_]{1,64}"
                    + "(:(\\$LATEST|[a-zA-Z0-9-_]{1,128}))?");
    private static final Pattern INVOCATION_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/(?<function>.+)/invocations");

    /**
     * Parses {@code uri}; a URI that names no function of this region and account is a BadRequestException, since
     * Kindling integrates HTTP APIs with its own functions only.
     */
    public static IntegrationUri parse(String uri, String region, String accountId) {
        Matcher invocation = INVOCATION_ARN.matcher(uri);
        String arn = invocation.matches() ? invocation.group("function") : uri;
        Matcher function = FUNCTION_ARN.matcher(arn);
        if (!function.matches()) {
            throw HttpApiException.badRequest("Invalid integration URI specified: '" + uri + "' is neither a Lambda"
                    + " function ARN (arn:aws:lambda:" + region + ":" + accountId + ":function:<name>) nor an"
                    + " invocation ARN (arn:aws:apigateway:" + region
                    + ":lambda:path/2015-03-31/functions/<function ARN>/invocations).");
        }
        if (!function.group("region").equals(region) || !function.group("account").equals(accountId)) {
            throw HttpApiException.badRequest("Invalid integration URI specified: '" + uri + "' names a function of"
                    + " region " + function.group("region") + " and account " + function.group("account")
                    + "; Kindling's functions are in region " + region + " and account " + accountId + ".");
        }
        return new IntegrationUri(arn);
    }
}
