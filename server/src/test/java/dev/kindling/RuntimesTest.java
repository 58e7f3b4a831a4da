package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Each managed runtime and the custom runtime, as a function's code sees them: handlers, context, variables. */
class RuntimesTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String create(String runtime, String handler, Map<String, String> files) {
        String name = "rt-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(files))
                .runtime(Runtime.fromValue(runtime)).handler(handler).timeout(7).memorySize(256)
                .environment(e -> e.variables(Map.of("OWN_VARIABLE", "own value", "LANG", "C.UTF-8"))).build());
        return name;
    }

    private static InvokeResponse invoke(String name) {
        return kindling.lambda().invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String("{\"k\":1}")));
    }

    private static JsonNode json(InvokeResponse response) {
        try {
            return JSON.readTree(response.payload().asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"python3.9", "python3.10", "python3.11", "python3.12", "python3.13"})
    void everyPythonRuntimeRunsOnTheNearestInstalledInterpreter(String runtime) {
        String name = create(runtime, "app.handler", Map.of("app.py", """
                import sys
                def handler(event, context):
                    return "%d.%d" % sys.version_info[:2]
                """));
        String ran = invoke(name).payload().asUtf8String().replace("\"", "");
        assertThat(ran).matches("3\\.\\d+");
        assertThat(invoke(name).payload().asUtf8String()).isEqualTo("\"" + ran + "\"");
        String note = "Kindling: " + runtime + ": " + runtime + " is not installed here; running on ";
        if (ran.equals(runtime.substring("python".length()))) {
            assertThat(kindling.logGroup(name)).doesNotContain(note);
        } else {
            assertThat(kindling.logGroup(name).split(java.util.regex.Pattern.quote(note), -1)).as("the note, once").hasSize(2);
            assertThat(kindling.logGroup(name)).contains(note + "/usr/bin/python" + ran);
        }
    }

    @Test
    void pythonHandlersInSubPackages() {
        Map<String, String> files = Map.of("pkg/__init__.py", "", "pkg/sub/__init__.py", "",
                "pkg/sub/mod.py", "def handler(event, context):\n    return __name__\n");
        assertThat(invoke(create("python3.12", "pkg/sub/mod.handler", files)).payload().asUtf8String())
                .isEqualTo("\"pkg.sub.mod\"");
        assertThat(invoke(create("python3.12", "pkg.sub.mod.handler", files)).payload().asUtf8String())
                .isEqualTo("\"pkg.sub.mod\"");
    }

    @Test
    void pythonContextHasEveryField() {
        String name = create("python3.12", "app.handler", Map.of("app.py", """
                def handler(event, context):
                    cc = context.client_context
                    return {"function_name": context.function_name, "function_version": context.function_version,
                            "invoked_function_arn": context.invoked_function_arn,
                            "memory_limit_in_mb": context.memory_limit_in_mb, "aws_request_id": context.aws_request_id,
                            "log_group_name": context.log_group_name, "log_stream_name": context.log_stream_name,
                            "remaining": context.get_remaining_time_in_millis(),
                            "identity_id": context.identity.cognito_identity_id,
                            "custom": cc.custom, "env": cc.env, "installation": cc.client.installation_id}
                """));
        String clientContext = Base64.getEncoder().encodeToString(("{\"custom\":{\"tenant\":\"blue\"},"
                + "\"env\":{\"platform\":\"test\"},\"client\":{\"installation_id\":\"inst-1\"}}")
                .getBytes(StandardCharsets.UTF_8));
        InvokeResponse response = kindling.lambda().invoke(r -> r.functionName(name).clientContext(clientContext)
                .logType(LogType.TAIL));
        JsonNode context = json(response);
        String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        assertThat(context.get("function_name").asText()).isEqualTo(name);
        assertThat(context.get("function_version").asText()).isEqualTo("$LATEST");
        assertThat(context.get("invoked_function_arn").asText()).isEqualTo(ServerFixture.ARN_PREFIX + name);
        assertThat(context.get("memory_limit_in_mb").asText()).isEqualTo("256");
        assertThat(log).contains("START RequestId: " + context.get("aws_request_id").asText() + " ");
        assertThat(context.get("log_group_name").asText()).isEqualTo("/aws/lambda/" + name);
        assertThat(context.get("log_stream_name").asText()).matches("\\d{4}/\\d\\d/\\d\\d/\\[\\$LATEST][0-9a-f]{32}");
        assertThat(context.get("remaining").asLong()).isBetween(1L, 7000L);
        assertThat(context.get("identity_id").isNull()).isTrue();
        assertThat(context.get("custom").get("tenant").asText()).isEqualTo("blue");
        assertThat(context.get("env").get("platform").asText()).isEqualTo("test");
        assertThat(context.get("installation").asText()).isEqualTo("inst-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs18.x", "nodejs20.x", "nodejs22.x"})
    void everyNodeRuntimeRuns(String runtime) {
        String name = create(runtime, "index.handler", Map.of("index.mjs",
                "export const handler = async (event) => ({ got: event.k, env: process.env.AWS_EXECUTION_ENV });"));
        assertThat(invoke(name).payload().asUtf8String())
                .isEqualTo("{\"got\":1,\"env\":\"AWS_Lambda_" + runtime + "\"}");
    }

    @Test
    void nodeTakesSixMegabyteEventsWholeAndAnswersThemInTurn() {
        String name = create("nodejs20.x", "index.handler", Map.of("index.mjs",
                "export const handler = async (event) => event;"));
        for (char c : new char[] {'a', 'b', 'c'}) {
            String largest = "\"" + String.valueOf(c).repeat(6 * 1024 * 1024 - 2) + "\"";
            InvokeResponse response = kindling.lambda().invoke(r -> r.functionName(name)
                    .payload(SdkBytes.fromUtf8String(largest)));
            assertThat(response.functionError()).isNull();
            assertThat(response.payload().asUtf8String()).as("6 MB in, the same 6 MB back").isEqualTo(largest);
        }
        assertThat(invoke(name).payload().asUtf8String()).isEqualTo("{\"k\":1}");
    }

    @Test
    void nodeCompletesAsAwsLambdaDoes() {
        // callback(): with callbackWaitsForEmptyEventLoop (the default) the answer waits for pending timers.
        String name = create("nodejs20.x", "index.handler", Map.of("index.js", """
                let invocations = 0;
                exports.handler = (event, context, callback) => {
                  invocations++;
                  context.callbackWaitsForEmptyEventLoop = event.wait;
                  setTimeout(() => console.log('timer of invocation ' + invocations + ' fired'), 300);
                  callback(null, invocations);
                };
                """));
        InvokeResponse waited = kindling.lambda().invoke(r -> r.functionName(name).logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"wait\": true}")));
        assertThat(waited.payload().asUtf8String()).isEqualTo("1");
        assertThat(tail(waited)).contains("timer of invocation 1 fired");
        InvokeResponse atOnce = kindling.lambda().invoke(r -> r.functionName(name).logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"wait\": false}")));
        assertThat(atOnce.payload().asUtf8String()).as("the same warm environment").isEqualTo("2");
        assertThat(tail(atOnce)).doesNotContain("timer of invocation 2 fired");

        // An async handler whose promise never settles, once nothing else is pending.
        String neverSettles = create("nodejs20.x", "index.handler", Map.of("index.mjs",
                "export const handler = async (event) => event.hang ? new Promise(() => {}) : 'settled';"));
        InvokeResponse exited = kindling.lambda().invoke(r -> r.functionName(neverSettles)
                .payload(SdkBytes.fromUtf8String("{\"hang\": true}")));
        assertThat(exited.functionError()).isEqualTo("Unhandled");
        assertThat(json(exited).get("errorType").asText()).isEqualTo("Runtime.NodeJsExit");
        assertThat(invoke(neverSettles).payload().asUtf8String()).isEqualTo("\"settled\"");

        // A rejection nobody handles fails the invocation; the next one gets a working environment.
        String rejects = create("nodejs20.x", "index.handler", Map.of("index.mjs", """
                export const handler = async (event) => {
                  if (event.reject) { Promise.reject(new Error('nobody catches this')); await new Promise(r => setTimeout(r, 500)); }
                  return 'fine';
                };
                """));
        InvokeResponse rejected = kindling.lambda().invoke(r -> r.functionName(rejects)
                .payload(SdkBytes.fromUtf8String("{\"reject\": true}")));
        assertThat(rejected.functionError()).isEqualTo("Unhandled");
        assertThat(json(rejected).get("errorType").asText()).isEqualTo("Runtime.UnhandledPromiseRejection");
        assertThat(json(rejected).get("errorMessage").asText()).contains("nobody catches this");
        assertThat(invoke(rejects).payload().asUtf8String()).isEqualTo("\"fine\"");
    }

    private static String tail(InvokeResponse response) {
        return new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
    }

    @Test
    void nodeModuleKinds() {
        String esmJs = create("nodejs20.x", "app.handler", Map.of("package.json", "{\"type\": \"module\"}",
                "app.js", "export const handler = async () => typeof require;"));
        assertThat(invoke(esmJs).payload().asUtf8String()).as("an ES module under \"type\": \"module\"")
                .isEqualTo("\"undefined\"");
        String commonJsAsync = create("nodejs20.x", "lib/app.handler", Map.of("lib/app.js",
                "exports.handler = async (event) => ({ commonjs: typeof require === 'function', k: event.k });"));
        assertThat(invoke(commonJsAsync).payload().asUtf8String()).isEqualTo("{\"commonjs\":true,\"k\":1}");
    }

    @Test
    void nodeContextHasEveryField() {
        String name = create("nodejs20.x", "index.handler", Map.of("index.js", """
                exports.handler = async (event, context) => ({
                  functionName: context.functionName, functionVersion: context.functionVersion,
                  invokedFunctionArn: context.invokedFunctionArn, memoryLimitInMB: context.memoryLimitInMB,
                  awsRequestId: context.awsRequestId, logGroupName: context.logGroupName,
                  logStreamName: context.logStreamName, remaining: context.getRemainingTimeInMillis(),
                  waits: context.callbackWaitsForEmptyEventLoop, custom: context.clientContext.custom });
                """));
        String clientContext = Base64.getEncoder().encodeToString("{\"custom\":{\"tenant\":\"green\"}}"
                .getBytes(StandardCharsets.UTF_8));
        InvokeResponse response = kindling.lambda().invoke(r -> r.functionName(name).clientContext(clientContext));
        JsonNode context = json(response);
        assertThat(context.get("functionName").asText()).isEqualTo(name);
        assertThat(context.get("functionVersion").asText()).isEqualTo("$LATEST");
        assertThat(context.get("invokedFunctionArn").asText()).isEqualTo(ServerFixture.ARN_PREFIX + name);
        assertThat(context.get("memoryLimitInMB").asText()).isEqualTo("256");
        assertThat(context.get("awsRequestId").asText()).isEqualTo(response.responseMetadata().requestId());
        assertThat(context.get("logGroupName").asText()).isEqualTo("/aws/lambda/" + name);
        assertThat(context.get("logStreamName").asText()).matches("\\d{4}/\\d\\d/\\d\\d/\\[\\$LATEST][0-9a-f]{32}");
        assertThat(context.get("remaining").asLong()).isBetween(1L, 7000L);
        assertThat(context.get("waits").asBoolean()).isTrue();
        assertThat(context.get("custom").get("tenant").asText()).isEqualTo("green");
    }

    @Test
    void initErrorsOfEachRuntimeHaveAwsTypes() {
        assertInitError(create("nodejs20.x", "index.handler", Map.of("index.js", "require('no-such-package');")),
                "Runtime.ImportModuleError");
        assertInitError(create("nodejs20.x", "index.missing", Map.of("index.js", "exports.handler = () => 1;")),
                "Runtime.HandlerNotFound");
        assertInitError(create("python3.12", "app.handler", Map.of("app.py", "def handler(event, context)\n")),
                "Runtime.UserCodeSyntaxError");
        assertInitError(create("python3.12", "app.missing", Map.of("app.py", "def handler(e, c):\n    return 1\n")),
                "Runtime.HandlerNotFound");
        assertInitError(create("python3.12", "app.handler", Map.of("app.py",
                "raise RuntimeError('no config')\ndef handler(e, c):\n    return 1\n")), "RuntimeError");
        assertInitError(create("nodejs20.x", "index.handler", Map.of("index.js",
                "throw new TypeError('no config');\nexports.handler = async () => 1;")), "TypeError");
    }

    private static void assertInitError(String name, String errorType) {
        InvokeResponse response = invoke(name);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(json(response).get("errorType").asText()).isEqualTo(errorType);
    }

    /** A custom runtime that answers with every Runtime API header it got from GET /next. */
    private static final String HEADER_ECHO = """
            #!/usr/bin/python3
            import json, os, urllib.request
            api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
            while True:
                with urllib.request.urlopen(api + "next") as r:
                    headers = {k.lower(): v for k, v in r.headers.items() if k.lower().startswith("lambda-runtime")}
                    event = json.loads(r.read())
                rid = headers["lambda-runtime-aws-request-id"]
                if event.get("fail"):
                    request = urllib.request.Request(api + rid + "/error", method="POST",
                        data=b'{"errorMessage":"custom failure","errorType":"CustomError"}',
                        headers={"Lambda-Runtime-Function-Error-Type": "CustomError"})
                else:
                    request = urllib.request.Request(api + rid + "/response", data=json.dumps(headers).encode(),
                        method="POST")
                urllib.request.urlopen(request).read()
            """;

    @Test
    void customRuntimeGetsEveryRuntimeApiHeader() {
        String name = createCustom(HEADER_ECHO);
        String clientContext = Base64.getEncoder().encodeToString("{\"custom\":{\"a\":\"b\"}}"
                .getBytes(StandardCharsets.UTF_8));
        long before = System.currentTimeMillis();
        InvokeResponse response = kindling.lambda().invoke(r -> r.functionName(name).clientContext(clientContext)
                .payload(SdkBytes.fromUtf8String("{}")));
        JsonNode headers = json(response);
        assertThat(headers.get("lambda-runtime-aws-request-id").asText())
                .isEqualTo(response.responseMetadata().requestId());
        assertThat(headers.get("lambda-runtime-deadline-ms").asLong())
                .isBetween(before + 6000, System.currentTimeMillis() + 7000);
        assertThat(headers.get("lambda-runtime-invoked-function-arn").asText())
                .isEqualTo(ServerFixture.ARN_PREFIX + name);
        assertThat(headers.get("lambda-runtime-trace-id").asText()).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};.*");
        assertThat(headers.get("lambda-runtime-client-context").asText()).isEqualTo("{\"custom\":{\"a\":\"b\"}}");
    }

    @Test
    void customRuntimeErrorsReachTheCaller() {
        String name = createCustom(HEADER_ECHO);
        InvokeResponse failed = kindling.lambda().invoke(r -> r.functionName(name)
                .payload(SdkBytes.fromUtf8String("{\"fail\":true}")));
        assertThat(failed.functionError()).isEqualTo("Unhandled");
        assertThat(json(failed).get("errorType").asText()).isEqualTo("CustomError");
        assertThat(json(failed).get("errorMessage").asText()).isEqualTo("custom failure");

        String broken = createCustom("""
                #!/usr/bin/python3
                import os, urllib.request
                urllib.request.urlopen(urllib.request.Request(
                    "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/init/error",
                    data=b'{"errorMessage":"no config","errorType":"Custom.InitFailed"}', method="POST",
                    headers={"Lambda-Runtime-Function-Error-Type": "Custom.InitFailed"})).read()
                """);
        InvokeResponse initFailed = invoke(broken);
        assertThat(initFailed.functionError()).isEqualTo("Unhandled");
        assertThat(json(initFailed).get("errorType").asText()).isEqualTo("Custom.InitFailed");
        assertThat(json(initFailed).get("errorMessage").asText()).isEqualTo("no config");
    }

    @Test
    void aCustomRuntimeWithoutAnExecutableBootstrapFailsWithInvalidEntrypoint() {
        String missing = create("provided.al2023", "unused", Map.of("README", "no bootstrap here"));
        assertInitError(missing, "Runtime.InvalidEntrypoint");
        String notExecutable = create("provided.al2023", "unused", Map.of("bootstrap", "#!/bin/sh\necho hi\n"));
        assertInitError(notExecutable, "Runtime.InvalidEntrypoint");
        assertThat(json(invoke(notExecutable)).get("errorMessage").asText()).contains("bootstrap");
    }

    private static String createCustom(String bootstrap) {
        String name = "custom-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.customRuntime(bootstrap))
                .runtime(Runtime.PROVIDED_AL2023).handler("unused").timeout(7).build());
        return name;
    }
}
