package dev.kindling.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.store.PolicyStatement;
import java.util.List;

/**
 * A resource-based policy written as AWS writes it for GetPolicy and AddPermission: Version 2012-10-17, Id "default",
 * and each statement with Sid, Effect, Principal ({@code "*"}, {@code {"Service": ...}} or {@code {"AWS": ...}}, an
 * account as its root ARN), Action, Resource (the function's, version's or alias's ARN) and its Condition block.
 */
public final class PolicyDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyDocument() {}

    public static String of(List<PolicyStatement> statements, String resourceArn) {
        ObjectNode document = JSON.createObjectNode();
        document.put("Version", "2012-10-17");
        document.put("Id", "default");
        ArrayNode list = document.putArray("Statement");
        statements.forEach(s -> list.add(statementNode(s, resourceArn)));
        return document.toString();
    }

    public static String statement(PolicyStatement s, String resourceArn) {
        return statementNode(s, resourceArn).toString();
    }

    private static ObjectNode statementNode(PolicyStatement s, String resourceArn) {
        ObjectNode statement = JSON.createObjectNode();
        statement.put("Sid", s.sid());
        statement.put("Effect", "Allow");
        if (s.principal().equals("*")) {
            statement.put("Principal", "*");
        } else if (PolicyPrincipals.isService(s.principal())) {
            statement.putObject("Principal").put("Service", s.principal());
        } else {
            String arn = PolicyPrincipals.accountOf(s.principal()).map(a -> "arn:aws:iam::" + a + ":root")
                    .orElse(s.principal());
            statement.putObject("Principal").put("AWS", arn);
        }
        statement.put("Action", s.action());
        statement.put("Resource", resourceArn);
        ObjectNode condition = JSON.createObjectNode();
        ObjectNode equals = JSON.createObjectNode();
        s.sourceAccount().ifPresent(a -> equals.put("AWS:SourceAccount", a));
        s.functionUrlAuthType().ifPresent(t -> equals.put("lambda:FunctionUrlAuthType", t));
        s.principalOrgId().ifPresent(o -> equals.put("aws:PrincipalOrgID", o));
        s.eventSourceToken().ifPresent(t -> equals.put("lambda:EventSourceToken", t));
        if (!equals.isEmpty()) {
            condition.set("StringEquals", equals);
        }
        s.sourceArn().ifPresent(arn -> condition.putObject("ArnLike").put("AWS:SourceArn", arn));
        if (s.invokedViaFunctionUrl()) {
            condition.putObject("Bool").put("lambda:InvokedViaFunctionUrl", "true");
        }
        if (!condition.isEmpty()) {
            statement.set("Condition", condition);
        }
        return statement;
    }
}
