package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * The environment a function sees, introspected from inside by a function of each runtime family and compared
 * with what AWS's own runtimes set (AWS's "Defined runtime environment variables" page and variables dumped by
 * functions on AWS): variable names and values, paths, working directory and user.
 */
class FunctionEnvironmentTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Set for every runtime, with AWS's values where they are fixed. */
    private static final Map<String, String> COMMON = Map.ofEntries(
            Map.entry("AWS_REGION", "us-east-1"), Map.entry("AWS_DEFAULT_REGION", "us-east-1"),
            Map.entry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"), Map.entry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256"),
            Map.entry("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"), Map.entry("AWS_LAMBDA_LOG_FORMAT", "Text"),
            Map.entry("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR"),
            Map.entry("AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000"),
            Map.entry("_AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129"), Map.entry("_AWS_XRAY_DAEMON_PORT", "2000"),
            Map.entry("LAMBDA_TASK_ROOT", "/var/task"), Map.entry("LAMBDA_RUNTIME_DIR", "/var/runtime"),
            Map.entry("LANG", "en_US.UTF-8"), Map.entry("TZ", ":UTC"), Map.entry("OWN_VARIABLE", "own value"));
    /** Set for every runtime, with values of the function's own (names, credentials, ports). */
    private static final Set<String> COMMON_NAMES = Set.of("_HANDLER", "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "AWS_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "PATH",
            "LD_LIBRARY_PATH");

    private static JsonNode introspect(Runtime runtime, String handler, Map<String, String> files) {
        String name = "env-" + UUID.randomUUID().toString().substring(0, 8);
        var zip = runtime.toString().startsWith("provided")
                ? ServerFixture.customRuntime(files.get("bootstrap")) : ServerFixture.zipOf(files);
        kindling.lambda().createFunction(ServerFixture.create(name, zip).runtime(runtime).handler(handler)
                .timeout(10).memorySize(256).environment(e -> e.variables(Map.of("OWN_VARIABLE", "own value")))
                .build());
        InvokeResponse response = kindling.lambda().invoke(r -> r.functionName(name)
                .payload(SdkBytes.fromUtf8String("{}")));
        assertThat(response.functionError()).as("the function's log:%n%s", kindling.logGroup(name)).isNull();
        try {
            JsonNode seen = JSON.readTree(response.payload().asByteArray());
            assertThat(seen.get("env").get("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo(name);
            return seen;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> names(JsonNode env) {
        Set<String> names = new HashSet<>();
        env.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertCommon(JsonNode env) {
        COMMON.forEach((name, value) -> assertThat(env.path(name).asText()).as(name).isEqualTo(value));
        assertThat(env.get("AWS_LAMBDA_LOG_STREAM_NAME").asText()).matches("\\d{4}/\\d\\d/\\d\\d/\\[\\$LATEST][0-9a-f]{32}");
        assertThat(env.get("AWS_LAMBDA_RUNTIME_API").asText()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(env.get("AWS_ENDPOINT_URL").asText()).isEqualTo(kindling.server().endpoint());
        assertThat(env.get("AWS_ACCESS_KEY").asText()).isEqualTo(env.get("AWS_ACCESS_KEY_ID").asText());
        assertThat(env.get("AWS_ACCESS_KEY_ID").asText()).as("temporary credentials, never the operator's key")
                .startsWith("ASIA").isNotEqualTo(ServerConfig.DEFAULT_ACCESS_KEY);
        assertThat(env.get("AWS_SECRET_ACCESS_KEY").asText()).isNotEqualTo(ServerConfig.DEFAULT_SECRET_KEY);
        assertThat(env.get("AWS_SESSION_TOKEN").asText()).hasSizeGreaterThan(100);
        assertThat(names(env)).as("nothing of the host: no TMPDIR in the data directory, no HOME")
                .doesNotContain("TMPDIR", "HOME", "JAVA_HOME", "NODE_EXTRA_CA_CERTS", "USER");
    }

    @Test
    void pythonSeesWhatAwsSetsForPython() {
        JsonNode seen = introspect(Runtime.PYTHON3_12, "app.handler", Map.of("app.py", """
                import os, pwd
                def handler(event, context):
                    return {"env": dict(os.environ), "cwd": os.getcwd(), "uid": os.getuid(),
                            "user": pwd.getpwuid(os.getuid()).pw_name}
                """));
        JsonNode env = seen.get("env");
        assertCommon(env);
        assertThat(env.get("AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_python3.12");
        assertThat(env.get("_HANDLER").asText()).isEqualTo("app.handler");
        assertThat(env.get("PATH").asText()).isEqualTo("/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        assertThat(env.get("LD_LIBRARY_PATH").asText()).isEqualTo(
                "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib");
        assertThat(env.get("PYTHONPATH").asText()).isEqualTo("/var/runtime");
        assertThat(env.get("PWD").asText()).isEqualTo("/var/task");
        // Python itself adds LC_CTYPE (C locale coercion) and the runtime _X_AMZN_TRACE_ID, as on AWS.
        Set<String> expected = new HashSet<>(COMMON.keySet());
        expected.addAll(COMMON_NAMES);
        expected.addAll(Set.of("AWS_EXECUTION_ENV", "PYTHONPATH", "PWD", "_X_AMZN_TRACE_ID"));
        assertThat(names(env)).containsAll(expected);
        assertThat(names(env)).as("only what AWS sets").isSubsetOf(union(expected, Set.of("LC_CTYPE")));
        assertThat(seen.get("cwd").asText()).isEqualTo("/var/task");
        assertThat(seen.get("uid").asInt()).as("an unprivileged user").isGreaterThan(0);
        assertThat(seen.get("user").asText()).isEqualTo("sbx_user1051");
    }

    @Test
    void nodeSeesWhatAwsSetsForNode() {
        JsonNode env = introspect(Runtime.NODEJS20_X, "index.handler", Map.of("index.mjs",
                "export const handler = async () => ({ env: process.env, cwd: process.cwd() });")).get("env");
        assertCommon(env);
        assertThat(env.get("AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_nodejs20.x");
        assertThat(env.get("NODE_PATH").asText()).isEqualTo(
                "/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task");
        assertThat(env.get("PATH").asText()).isEqualTo("/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        assertThat(env.has("PYTHONPATH")).isFalse();
    }

    @Test
    void aCustomRuntimeSeesWhatAwsSetsForOsOnlyRuntimes() {
        String bootstrap = """
                #!/bin/sh
                api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"
                id=$(python3 -c 'import sys, urllib.request as u; r = u.urlopen(sys.argv[1] + "/next"); \
                print(r.headers["Lambda-Runtime-Aws-Request-Id"])' "$api")
                python3 -c 'import json, os, sys, urllib.request as u; \
                u.urlopen(u.Request(sys.argv[1], data=json.dumps({"env": dict(os.environ), "cwd": os.getcwd()}).encode(), method="POST"))' \
                  "$api/$id/response"
                """;
        JsonNode seen = introspect(Runtime.PROVIDED_AL2023, "unused", Map.of("bootstrap", bootstrap));
        JsonNode env = seen.get("env");
        assertCommon(env);
        assertThat(env.has("AWS_EXECUTION_ENV")).as("AWS leaves it unset for OS-only runtimes").isFalse();
        assertThat(env.get("PATH").asText()).isEqualTo("/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        assertThat(env.get("LD_LIBRARY_PATH").asText()).isEqualTo(
                "/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib");
        assertThat(env.has("PYTHONPATH")).isFalse();
        assertThat(env.has("NODE_PATH")).isFalse();
        assertThat(seen.get("cwd").asText()).isEqualTo("/var/task");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
