package dev.kindling.store;

import java.util.Objects;
import java.util.Optional;

/**
 * One statement of a function's resource-based policy, as AddPermission made it: who ({@code principal}: a service
 * such as {@code s3.amazonaws.com}, an account id, an IAM ARN or {@code *}) may do what ({@code action}), under which
 * conditions. Build one with {@link #builder()}: its optional strings have names, not positions.
 */
public final class PolicyStatement {
    private final String sid;
    private final String action;
    private final String principal;
    private final Optional<String> sourceArn;
    private final Optional<String> sourceAccount;
    private final Optional<String> principalOrgId;
    private final Optional<String> eventSourceToken;
    private final Optional<String> functionUrlAuthType;
    private final boolean invokedViaFunctionUrl;

    private PolicyStatement(Builder b) {
        this.sid = b.sid;
        this.action = b.action;
        this.principal = b.principal;
        this.sourceArn = b.sourceArn;
        this.sourceAccount = b.sourceAccount;
        this.principalOrgId = b.principalOrgId;
        this.eventSourceToken = b.eventSourceToken;
        this.functionUrlAuthType = b.functionUrlAuthType;
        this.invokedViaFunctionUrl = b.invokedViaFunctionUrl;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String sid() {
        return sid;
    }

    public String action() {
        return action;
    }

    public String principal() {
        return principal;
    }

    /** The AWS:SourceArn condition (ArnLike). */
    public Optional<String> sourceArn() {
        return sourceArn;
    }

    /** The AWS:SourceAccount condition. */
    public Optional<String> sourceAccount() {
        return sourceAccount;
    }

    /** The aws:PrincipalOrgID condition. */
    public Optional<String> principalOrgId() {
        return principalOrgId;
    }

    /** The lambda:EventSourceToken condition (Alexa skills). */
    public Optional<String> eventSourceToken() {
        return eventSourceToken;
    }

    /** The lambda:FunctionUrlAuthType condition (NONE or AWS_IAM), for lambda:InvokeFunctionUrl. */
    public Optional<String> functionUrlAuthType() {
        return functionUrlAuthType;
    }

    /** The lambda:InvokedViaFunctionUrl condition: the grant holds only for function URL requests. */
    public boolean invokedViaFunctionUrl() {
        return invokedViaFunctionUrl;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyStatement s && sid.equals(s.sid) && action.equals(s.action)
                && principal.equals(s.principal) && sourceArn.equals(s.sourceArn)
                && sourceAccount.equals(s.sourceAccount) && principalOrgId.equals(s.principalOrgId)
                && eventSourceToken.equals(s.eventSourceToken) && functionUrlAuthType.equals(s.functionUrlAuthType)
                && invokedViaFunctionUrl == s.invokedViaFunctionUrl;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sid, action, principal, sourceArn, sourceAccount, principalOrgId, eventSourceToken,
                functionUrlAuthType, invokedViaFunctionUrl);
    }

    @Override
    public String toString() {
        return "PolicyStatement[" + sid + ": " + action + " by " + principal + "]";
    }

    public static final class Builder {
        private String sid = "";
        private String action = "";
        private String principal = "";
        private Optional<String> sourceArn = Optional.empty();
        private Optional<String> sourceAccount = Optional.empty();
        private Optional<String> principalOrgId = Optional.empty();
        private Optional<String> eventSourceToken = Optional.empty();
        private Optional<String> functionUrlAuthType = Optional.empty();
        private boolean invokedViaFunctionUrl;

        public Builder sid(String value) {
            sid = value;
            return this;
        }

        public Builder action(String value) {
            action = value;
            return this;
        }

        public Builder principal(String value) {
            principal = value;
            return this;
        }

        public Builder sourceArn(Optional<String> value) {
            sourceArn = value;
            return this;
        }

        public Builder sourceAccount(Optional<String> value) {
            sourceAccount = value;
            return this;
        }

        public Builder principalOrgId(Optional<String> value) {
            principalOrgId = value;
            return this;
        }

        public Builder eventSourceToken(Optional<String> value) {
            eventSourceToken = value;
            return this;
        }

        public Builder functionUrlAuthType(Optional<String> value) {
            functionUrlAuthType = value;
            return this;
        }

        public Builder invokedViaFunctionUrl(boolean value) {
            invokedViaFunctionUrl = value;
            return this;
        }

        public PolicyStatement build() {
            return new PolicyStatement(this);
        }
    }
}
