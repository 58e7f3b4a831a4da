package dev.kindling.control;

import java.util.Optional;

/**
 * Who asks to do what to a function, as a resource-based policy judges it: the caller (an AWS service, an IAM identity,
 * or nobody in particular), the action, and the request's context keys (the source resource and account a service
 * acts for, whether the call came through a function URL and of which auth type). Made by the trigger that is about
 * to invoke, then given to {@link FunctionPolicies#allows}.
 */
public final class AccessRequest {
    /** The action of an invocation, which event sources and function URLs need. */
    public static final String INVOKE_FUNCTION = "lambda:InvokeFunction";
    /** The action of a function URL request. */
    public static final String INVOKE_FUNCTION_URL = "lambda:InvokeFunctionUrl";

    private final Optional<String> service;
    private final Optional<String> identityArn;
    private final String action;
    private final Optional<String> sourceArn;
    private final Optional<String> sourceAccount;
    private final Optional<String> functionUrlAuthType;

    private AccessRequest(Optional<String> service, Optional<String> identityArn, String action,
            Optional<String> sourceArn, Optional<String> sourceAccount, Optional<String> functionUrlAuthType) {
        this.service = service;
        this.identityArn = identityArn;
        this.action = action;
        this.sourceArn = sourceArn;
        this.sourceAccount = sourceArn.isPresent() && sourceAccount.isEmpty() ? accountOf(sourceArn.get())
                : sourceAccount;
        this.functionUrlAuthType = functionUrlAuthType;
    }

    /**
     * An AWS service ({@code apigateway.amazonaws.com}, {@code events.amazonaws.com}, {@code s3.amazonaws.com}, ...)
     * invoking a function on behalf of {@code sourceArn} (the API, rule or bucket); the source account is the ARN's
     * account part when it has one (an S3 bucket ARN has none: see {@link #withSourceAccount}).
     */
    public static AccessRequest byService(String servicePrincipal, String sourceArn) {
        return new AccessRequest(Optional.of(servicePrincipal), Optional.empty(), INVOKE_FUNCTION,
                Optional.of(sourceArn), Optional.empty(), Optional.empty());
    }

    /** An IAM identity (user, role, or a role's session) calling {@code action}. */
    public static AccessRequest byIdentity(String identityArn, String action) {
        return new AccessRequest(Optional.empty(), Optional.of(identityArn), action, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** A function URL request of {@code authType} (NONE or AWS_IAM), by {@code identityArn} when signed. */
    public static AccessRequest viaFunctionUrl(String action, String authType, Optional<String> identityArn) {
        return new AccessRequest(Optional.empty(), identityArn, action, Optional.empty(), Optional.empty(),
                Optional.of(authType));
    }

    /** The same request with the AWS:SourceAccount context key set (the account owning the source resource). */
    public AccessRequest withSourceAccount(String account) {
        return new AccessRequest(service, identityArn, action, sourceArn, Optional.of(account), functionUrlAuthType);
    }

    /** The same request for another action (a function URL request is checked for two). */
    public AccessRequest withAction(String other) {
        return new AccessRequest(service, identityArn, other, sourceArn, sourceAccount, functionUrlAuthType);
    }

    Optional<String> service() {
        return service;
    }

    Optional<String> identityArn() {
        return identityArn;
    }

    String action() {
        return action;
    }

    Optional<String> sourceArn() {
        return sourceArn;
    }

    Optional<String> sourceAccount() {
        return sourceAccount;
    }

    Optional<String> functionUrlAuthType() {
        return functionUrlAuthType;
    }

    boolean viaFunctionUrl() {
        return functionUrlAuthType.isPresent();
    }

    /** The account part of an ARN ({@code arn:partition:service:region:account:resource}), if it has one. */
    static Optional<String> accountOf(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length == 6 && !parts[4].isEmpty() ? Optional.of(parts[4]) : Optional.empty();
    }

    @Override
    public String toString() {
        return action + " by " + service.or(() -> identityArn).orElse("anyone") + sourceArn.map(a -> " for " + a)
                .orElse("") + functionUrlAuthType.map(t -> " via a function URL (" + t + ")").orElse("");
    }
}
