package dev.kindling.store;

import java.util.Optional;

/**
 * One statement of a function's resource-based policy, as AddPermission made it: who ({@code principal}: a service
 * such as {@code s3.amazonaws.com}, an account id, an IAM ARN or {@code *}) may do what ({@code action}), under which
 * conditions. Build one with {@link #builder()}.
 *
 * @param functionUrlAuthType the lambda:FunctionUrlAuthType condition (NONE or AWS_IAM), for lambda:InvokeFunctionUrl
 * @param invokedViaFunctionUrl the lambda:InvokedViaFunctionUrl condition: the grant holds only for URL requests
 */
public record PolicyStatement(String sid, String action, String principal, Optional<String> sourceArn,
        Optional<String> sourceAccount, Optional<String> principalOrgId, Optional<String> eventSourceToken,
        Optional<String> functionUrlAuthType, boolean invokedViaFunctionUrl) {

    public static Builder builder() {
        return new Builder();
    }

    /** Named setters, so that the several optional strings cannot be swapped. */
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
            return new PolicyStatement(sid, action, principal, sourceArn, sourceAccount, principalOrgId,
                    eventSourceToken, functionUrlAuthType, invokedViaFunctionUrl);
        }
    }
}
