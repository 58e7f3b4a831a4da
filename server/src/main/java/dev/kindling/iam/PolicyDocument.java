package dev.kindling.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An IAM policy document, parsed and checked as IAM checks one when it is stored: a permissions policy (inline or
 * managed: statements with actions and resources, no principal) or a role's trust policy (statements with a
 * principal, no resource). Malformed documents are refused with MalformedPolicyDocument and AWS's wording.
 */
public record PolicyDocument(List<Statement> statements) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");

    /** Which kind of policy a document is, which decides the elements it must and must not have. */
    public enum Kind { PERMISSIONS, TRUST }

    public enum Effect { Allow, Deny }

    /**
     * One statement.
     *
     * @param actions the Action (or, when {@code notAction}, NotAction) patterns
     * @param resources the Resource (or NotResource) patterns; empty in a trust policy
     * @param principals Principal by type (AWS, Service, Federated, or "*" for {@code "Principal": "*"}); empty
     *     in a permissions policy
     */
    public record Statement(Effect effect, List<String> actions, boolean notAction, List<String> resources,
            boolean notResource, Map<String, List<String>> principals, List<Condition> conditions) {}

    /** One condition: {@code "<operator>": {"<key>": [values]}}. */
    public record Condition(String operator, String key, List<String> values) {}

    /** Parses {@code text} as a policy of {@code kind}; throws IamException (MalformedPolicyDocument) if it is not one. */
    public static PolicyDocument parse(String text, Kind kind) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw IamException.malformedPolicy("This policy contains invalid Json");
        }
        if (root == null || !root.isObject()) {
            throw IamException.malformedPolicy("This policy contains invalid Json");
        }
        JsonNode version = root.get("Version");
        if (version != null && !(version.isTextual() && VERSIONS.contains(version.asText()))) {
            throw IamException.malformedPolicy("The policy must contain a valid version string");
        }
        JsonNode statements = root.get("Statement");
        if (statements == null || !(statements.isObject() || statements.isArray())) {
            throw IamException.malformedPolicy("Syntax errors in policy.");
        }
        List<Statement> parsed = new ArrayList<>();
        for (JsonNode s : statements.isArray() ? statements : List.of(statements)) {
            parsed.add(statement(s, kind));
        }
        return new PolicyDocument(List.copyOf(parsed));
    }

    private static Statement statement(JsonNode s, Kind kind) {
        if (!s.isObject()) {
            throw IamException.malformedPolicy("Syntax errors in policy.");
        }
        JsonNode effect = s.get("Effect");
        if (effect == null) {
            throw IamException.malformedPolicy("Missing required field Effect");
        }
        if (!effect.isTextual() || !(effect.asText().equals("Allow") || effect.asText().equals("Deny"))) {
            throw IamException.malformedPolicy("Invalid effect: " + effect.asText());
        }
        boolean notAction = s.has("NotAction");
        if (s.has("Action") == notAction) {
            throw IamException.malformedPolicy(notAction ? "Syntax errors in policy."
                    : "Policy statement must contain actions.");
        }
        List<String> actions = strings(s.get(notAction ? "NotAction" : "Action"));
        for (String action : actions) {
            if (!action.equals("*") && action.indexOf(':') <= 0) {
                throw IamException.malformedPolicy(
                        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
            }
        }
        boolean notResource = s.has("NotResource");
        boolean hasResource = s.has("Resource") || notResource;
        Map<String, List<String>> principals = principals(s, kind);
        if (kind == Kind.PERMISSIONS && !hasResource) {
            throw IamException.malformedPolicy("Policy statement must contain resources.");
        }
        if (kind == Kind.TRUST && hasResource) {
            throw IamException.malformedPolicy("Has prohibited field Resource");
        }
        List<String> resources = hasResource ? strings(s.get(notResource ? "NotResource" : "Resource")) : List.of();
        return new Statement(Effect.valueOf(effect.asText()), actions, notAction, resources, notResource, principals,
                conditions(s.get("Condition")));
    }

    private static Map<String, List<String>> principals(JsonNode s, Kind kind) {
        JsonNode principal = s.has("Principal") ? s.get("Principal") : s.get("NotPrincipal");
        if (kind == Kind.PERMISSIONS) {
            if (principal != null) {
                throw IamException.malformedPolicy("Policy document should not specify a principal.");
            }
            return Map.of();
        }
        if (principal == null) {
            throw IamException.malformedPolicy("Missing required field Principal");
        }
        if (principal.isTextual() && principal.asText().equals("*")) {
            return Map.of("*", List.of("*"));
        }
        if (!principal.isObject() || principal.isEmpty()) {
            throw IamException.malformedPolicy("Invalid principal in policy");
        }
        Map<String, List<String>> byType = new LinkedHashMap<>();
        principal.properties().forEach(e -> byType.put(e.getKey(), strings(e.getValue())));
        return byType;
    }

    private static List<Condition> conditions(JsonNode condition) {
        if (condition == null) {
            return List.of();
        }
        if (!condition.isObject()) {
            throw IamException.malformedPolicy("Syntax errors in policy.");
        }
        List<Condition> parsed = new ArrayList<>();
        condition.properties().forEach(operator -> {
            if (!operator.getValue().isObject()) {
                throw IamException.malformedPolicy("Syntax errors in policy.");
            }
            operator.getValue().properties().forEach(key ->
                    parsed.add(new Condition(operator.getKey(), key.getKey(), scalars(key.getValue()))));
        });
        return List.copyOf(parsed);
    }

    /** A string or a non-empty array of strings. */
    private static List<String> strings(JsonNode node) {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (!node.isArray() || node.isEmpty()) {
            throw IamException.malformedPolicy("Syntax errors in policy.");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw IamException.malformedPolicy("Syntax errors in policy.");
            }
            values.add(element.asText());
        }
        return List.copyOf(values);
    }

    /** Condition values: strings, numbers and booleans, alone or in an array, compared as text. */
    private static List<String> scalars(JsonNode node) {
        List<String> values = new ArrayList<>();
        for (JsonNode element : node.isArray() ? node : List.of(node)) {
            if (!element.isValueNode()) {
                throw IamException.malformedPolicy("Syntax errors in policy.");
            }
            values.add(element.asText());
        }
        return List.copyOf(values);
    }
}
