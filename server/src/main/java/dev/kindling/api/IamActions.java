package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * What a routed request asks of IAM: its action ({@code <service>:<Action>}, with IAM's names where they differ from
 * the operation's: Invoke is lambda:InvokeFunction, S3's ListObjectsV2 is s3:ListBucket) and the ARN of the resource
 * it acts on, as far as the request's route tells (the function, layer, log group or stream, role, bucket or
 * object), else {@code *}.
 */
final class IamActions {
    private static final Map<String, String> ACTION_NAMES = Map.ofEntries(
            Map.entry("lambda:Invoke", "lambda:InvokeFunction"),
            Map.entry("lambda:InvokeWithResponseStream", "lambda:InvokeFunction"),
            Map.entry("lambda:GetLayerVersionByArn", "lambda:GetLayerVersion"),
            Map.entry("s3:ListObjects", "s3:ListBucket"),
            Map.entry("s3:ListObjectsV2", "s3:ListBucket"),
            Map.entry("s3:HeadBucket", "s3:ListBucket"),
            Map.entry("s3:HeadObject", "s3:GetObject"),
            Map.entry("s3:ListBuckets", "s3:ListAllMyBuckets"),
            Map.entry("s3:CopyObject", "s3:PutObject"),
            Map.entry("s3:CreateMultipartUpload", "s3:PutObject"),
            Map.entry("s3:UploadPart", "s3:PutObject"),
            Map.entry("s3:CompleteMultipartUpload", "s3:PutObject"),
            Map.entry("s3:AbortMultipartUpload", "s3:AbortMultipartUpload"),
            Map.entry("s3:DeleteObjects", "s3:DeleteObject"),
            Map.entry("s3:PutBucketNotificationConfiguration", "s3:PutBucketNotification"),
            Map.entry("s3:GetBucketNotificationConfiguration", "s3:GetBucketNotification"));

    private final String region;
    private final String accountId;

    IamActions(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
    }

    /** The IAM action of {@code operation} of the service whose signing name is {@code service}. */
    static String action(String service, String operation) {
        // CloudWatch signs as "monitoring" but its IAM actions are "cloudwatch:...".
        String action = (service.equals("monitoring") ? "cloudwatch" : service) + ":" + operation;
        return ACTION_NAMES.getOrDefault(action, action);
    }

    /** The ARN of what the request acts on, or {@code *} where the route does not tell. */
    String resource(String service, Router.Match match) {
        ApiRequest r = match.request();
        return switch (service) {
            case "lambda" -> lambda(match.operation(), r);
            case "logs" -> logs(match.operation(), r);
            case "iam" -> iam(r);
            case "sts" -> QueryParameters.of(r).optional("RoleArn").orElse("*");
            case "s3" -> s3(r);
            case "sqs" -> sqs(r);
            default -> "*";
        };
    }

    private String lambda(String operation, ApiRequest r) {
        Optional<String> arnParam = Optional.ofNullable(r.pathParam("arn"));
        if (arnParam.isPresent()) {
            return arnParam.get();
        }
        Optional<String> name = Optional.ofNullable(r.pathParam("name"));
        if (name.isEmpty()) {
            return "*";
        }
        if (operation.contains("Layer")) {
            return name.get().startsWith("arn:") ? name.get()
                    : "arn:aws:lambda:" + region + ":" + accountId + ":layer:" + name.get();
        }
        String qualifier = r.queryParam("Qualifier").map(q -> ":" + q).orElse("");
        String given = name.get();
        if (given.startsWith("arn:")) {
            return given.indexOf(":", given.indexOf(":function:") + 10) > 0 ? given : given + qualifier;
        }
        String[] parts = given.split(":"); // name, name:qualifier, or account:function:name[:qualifier]
        String function = parts.length >= 3 ? parts[2] : parts[0];
        String ownQualifier = parts.length == 2 ? ":" + parts[1] : parts.length == 4 ? ":" + parts[3] : qualifier;
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + function + ownQualifier;
    }

    private String logs(String operation, ApiRequest r) {
        JsonNode body;
        try {
            body = Json.parseObject(r.body());
        } catch (RuntimeException e) {
            return "*"; // the operation itself reports the broken body
        }
        String prefix = "arn:aws:logs:" + region + ":" + accountId + ":log-group:";
        Optional<String> group = text(body, "logGroupName")
                .or(() -> text(body, "logGroupIdentifier").map(IamActions::groupOfIdentifier));
        if (group.isEmpty()) {
            return operation.equals("DescribeLogGroups") ? prefix + "*" : "*";
        }
        Optional<String> stream = text(body, "logStreamName");
        return stream.map(s -> prefix + group.get() + ":log-stream:" + s).orElse(prefix + group.get() + ":*");
    }

    /** A logGroupIdentifier is a name or a log group's ARN. */
    private static String groupOfIdentifier(String identifier) {
        int at = identifier.indexOf(":log-group:");
        if (!identifier.startsWith("arn:") || at < 0) {
            return identifier;
        }
        String name = identifier.substring(at + ":log-group:".length());
        return name.endsWith(":*") ? name.substring(0, name.length() - 2) : name;
    }

    private String iam(ApiRequest r) {
        QueryParameters p = QueryParameters.of(r);
        return p.optional("RoleName").map(n -> "arn:aws:iam::" + accountId + ":role/" + n)
                .or(() -> p.optional("PolicyArn")).orElse("*");
    }

    /** Path-style requests: {@code /<bucket>} and {@code /<bucket>/<key>}. */
    private static String s3(ApiRequest r) {
        String path = r.rawPath().startsWith("/") ? r.rawPath().substring(1) : r.rawPath();
        if (path.isEmpty()) {
            return "*";
        }
        return "arn:aws:s3:::" + ApiRequest.decode(path);
    }

    private String sqs(ApiRequest r) {
        Optional<String> url = QueryParameters.of(r).optional("QueueUrl");
        if (url.isEmpty() && r.body().length > 0 && r.body()[0] == '{') {
            try {
                url = text(Json.parseObject(r.body()), "QueueUrl");
            } catch (RuntimeException e) {
                return "*";
            }
        }
        return url.map(u -> "arn:aws:sqs:" + region + ":" + accountId + ":" + u.substring(u.lastIndexOf('/') + 1))
                .orElse("*");
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }
}
