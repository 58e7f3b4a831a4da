package dev.kindling.javaruntime;

import com.amazonaws.services.lambda.runtime.Client;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.Map;

/** The Context of one invocation: the function's settings from the environment, the invocation's from /next. */
final class InvocationContext implements Context {
    /** What every invocation of this environment shares. */
    static final class Function {
        final String name;
        final String version;
        final int memoryMb;
        final String logGroup;
        final String logStream;
        final LambdaLogger logger;

        Function(Map<String, String> env, LambdaLogger logger) {
            this.name = env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "");
            this.version = env.getOrDefault("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            this.memoryMb = Integer.parseInt(env.getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"));
            this.logGroup = env.getOrDefault("AWS_LAMBDA_LOG_GROUP_NAME", "");
            this.logStream = env.getOrDefault("AWS_LAMBDA_LOG_STREAM_NAME", "");
            this.logger = logger;
        }
    }

    private final Function function;
    private final String requestId;
    private final String functionArn;
    private final long deadlineMillis;
    private final String traceId;
    private final String tenantId;
    private final CognitoIdentity identity;
    private final ClientContext clientContext;

    InvocationContext(Function function, RuntimeApiClient.Answer next, Map<String, Object> identity,
            Map<String, Object> clientContext) {
        this.function = function;
        this.requestId = next.header("Lambda-Runtime-Aws-Request-Id");
        this.functionArn = next.header("Lambda-Runtime-Invoked-Function-Arn");
        String deadline = next.header("Lambda-Runtime-Deadline-Ms");
        this.deadlineMillis = deadline == null ? Long.MAX_VALUE : Long.parseLong(deadline);
        this.traceId = next.header("Lambda-Runtime-Trace-Id");
        this.tenantId = next.header("Lambda-Runtime-Aws-Tenant-Id");
        this.identity = identity == null ? null : new Identity(identity);
        this.clientContext = clientContext == null ? null : new MobileClientContext(clientContext);
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return function.logGroup; }
    @Override public String getLogStreamName() { return function.logStream; }
    @Override public String getFunctionName() { return function.name; }
    @Override public String getFunctionVersion() { return function.version; }
    @Override public String getInvokedFunctionArn() { return functionArn; }
    @Override public CognitoIdentity getIdentity() { return identity; }
    @Override public ClientContext getClientContext() { return clientContext; }
    @Override public int getMemoryLimitInMB() { return function.memoryMb; }
    @Override public LambdaLogger getLogger() { return function.logger; }
    @Override public String getXrayTraceId() { return traceId; }
    @Override public String getTenantId() { return tenantId; }

    @Override
    public int getRemainingTimeInMillis() {
        long left = deadlineMillis - System.currentTimeMillis();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    private static String text(Map<String, Object> values, String key) {
        Object value = values.get(key);
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object value) {
        return value instanceof Map ? (Map<String, String>) value : null;
    }

    private static final class Identity implements CognitoIdentity {
        private final String id;
        private final String poolId;

        Identity(Map<String, Object> values) {
            this.id = text(values, "cognitoIdentityId");
            this.poolId = text(values, "cognitoIdentityPoolId");
        }

        @Override public String getIdentityId() { return id; }
        @Override public String getIdentityPoolId() { return poolId; }
    }

    /** The Client-Context header as the mobile SDKs send it: client, custom, env. */
    private static final class MobileClientContext implements ClientContext {
        private final Client client;
        private final Map<String, String> custom;
        private final Map<String, String> environment;

        @SuppressWarnings("unchecked")
        MobileClientContext(Map<String, Object> values) {
            Object app = values.get("client");
            this.client = app instanceof Map ? new AppClient((Map<String, Object>) app) : null;
            this.custom = strings(values.get("custom"));
            this.environment = strings(values.get("env"));
        }

        @Override public Client getClient() { return client; }
        @Override public Map<String, String> getCustom() { return custom; }
        @Override public Map<String, String> getEnvironment() { return environment; }
    }

    private static final class AppClient implements Client {
        private final Map<String, Object> values;

        AppClient(Map<String, Object> values) {
            this.values = values;
        }

        @Override public String getInstallationId() { return text(values, "installation_id"); }
        @Override public String getAppTitle() { return text(values, "app_title"); }
        @Override public String getAppVersionName() { return text(values, "app_version_name"); }
        @Override public String getAppVersionCode() { return text(values, "app_version_code"); }
        @Override public String getAppPackageName() { return text(values, "app_package_name"); }
    }
}
