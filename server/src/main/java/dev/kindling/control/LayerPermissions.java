package dev.kindling.control;

import dev.kindling.store.LayerPolicy;
import java.util.regex.Pattern;

/** The service model's constraints on an AddLayerVersionPermission statement. */
final class LayerPermissions {
    private static final Pattern STATEMENT_ID = Pattern.compile("([a-zA-Z0-9-_]+)");
    private static final Pattern ACTION = Pattern.compile("lambda:GetLayerVersion");
    private static final Pattern PRINCIPAL = Pattern.compile("\\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root");
    private static final Pattern ORGANIZATION = Pattern.compile("o-[a-z0-9]{10,32}");

    private LayerPermissions() {}

    static void validate(LayerPolicy.Statement s) {
        ConstraintViolations violations = new ConstraintViolations();
        if (s.sid().isEmpty() || s.sid().length() > 100 || !STATEMENT_ID.matcher(s.sid()).matches()) {
            violations.add(s.sid(), "statementId", "Member must satisfy regular expression pattern: "
                    + STATEMENT_ID.pattern());
        }
        if (!ACTION.matcher(s.action()).matches()) {
            violations.add(s.action(), "action", "Member must satisfy regular expression pattern: " + ACTION.pattern());
        }
        if (!PRINCIPAL.matcher(s.principal()).matches()) {
            violations.add(s.principal(), "principal", "Member must satisfy regular expression pattern: "
                    + PRINCIPAL.pattern());
        }
        s.organizationId().filter(org -> org.length() > 34 || !ORGANIZATION.matcher(org).matches()).ifPresent(org ->
                violations.add(org, "organizationId", "Member must satisfy regular expression pattern: "
                        + ORGANIZATION.pattern()));
        violations.throwIfAny();
    }
}
