package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.control.ConstraintViolations;
import dev.kindling.control.FunctionPolicies;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.store.PolicyStatement;
import java.util.Optional;

/** AddPermission, RemovePermission and GetPolicy (2015-03-31), in the shapes of botocore's service model. */
public final class PermissionsApi implements ApiServer.Operations {
    private static final String POLICY = "/2015-03-31/functions/{name}/policy";

    private final FunctionService functions;
    private final FunctionPolicies policies;

    public PermissionsApi(FunctionService functions, FunctionPolicies policies) {
        this.functions = functions;
        this.policies = policies;
    }

    @Override
    public void addRoutes(Router router) {
        router.add("AddPermission", "POST", POLICY, this::add)
                .add("GetPolicy", "GET", POLICY, this::get)
                .add("RemovePermission", "DELETE", POLICY + "/{sid}", this::remove);
    }

    private ApiResponse add(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        FunctionRef ref = ref(request);
        ConstraintViolations missing = new ConstraintViolations();
        Optional<String> sid = RequestFields.text(body, "StatementId");
        Optional<String> action = RequestFields.text(body, "Action");
        Optional<String> principal = RequestFields.text(body, "Principal");
        if (sid.isEmpty()) {
            missing.missing("statementId");
        }
        if (action.isEmpty()) {
            missing.missing("action");
        }
        if (principal.isEmpty()) {
            missing.missing("principal");
        }
        missing.throwIfAny();
        PolicyStatement statement = PolicyStatement.builder().sid(sid.get()).action(action.get())
                .principal(principal.get()).sourceArn(RequestFields.text(body, "SourceArn"))
                .sourceAccount(RequestFields.text(body, "SourceAccount"))
                .principalOrgId(RequestFields.text(body, "PrincipalOrgID"))
                .eventSourceToken(RequestFields.text(body, "EventSourceToken"))
                .functionUrlAuthType(RequestFields.text(body, "FunctionUrlAuthType"))
                .invokedViaFunctionUrl(RequestFields.optionalBoolean(body, "InvokedViaFunctionUrl")).build();
        FunctionPolicies.Added added = policies.add(ref, statement, RequestFields.text(body, "RevisionId"));
        ObjectNode answer = Json.object();
        answer.put("Statement", added.json());
        return ApiResponse.json(201, answer);
    }

    private ApiResponse get(ApiRequest request) {
        FunctionPolicies.Document policy = policies.get(ref(request));
        ObjectNode answer = Json.object();
        answer.put("Policy", policy.json());
        answer.put("RevisionId", policy.revisionId());
        return ApiResponse.json(200, answer);
    }

    private ApiResponse remove(ApiRequest request) {
        policies.remove(ref(request), request.pathParam("sid"), request.queryParam("RevisionId"));
        return ApiResponse.empty(204);
    }

    private FunctionRef ref(ApiRequest request) {
        return functions.parseRef(request.pathParam("name"), request.queryParam("Qualifier").orElse(""));
    }
}
