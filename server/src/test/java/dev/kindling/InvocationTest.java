package dev.kindling;

import static dev.kindling.ServerFixture.assertLambdaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Functions run: invoked through the AWS SDK, in real Python, Node.js and custom-bootstrap environments. */
class InvocationTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    private static String python(String source, Map<String, String> env, int timeout) {
        String name = "py-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py", source)))
                .handler("lambda_function.handler").timeout(timeout)
                .environment(e -> e.variables(env)).build());
        return name;
    }

    private static InvokeResponse invoke(String name, String payload) {
        return kindling.lambda().invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(payload)));
    }

    @Test
    void pythonHelloWorldWithContextAndEnvironment() {
        String name = python("""
                import os
                def handler(event, context):
                    return {"hello": event["name"], "function": context.function_name,
                            "memory": context.memory_limit_in_mb, "arn": context.invoked_function_arn,
                            "request": context.aws_request_id, "remaining": context.get_remaining_time_in_millis(),
                            "greeting": os.environ["GREETING"], "region": os.environ["AWS_REGION"],
                            "handler": os.environ["_HANDLER"], "version": os.environ["AWS_LAMBDA_FUNCTION_VERSION"]}
                """, Map.of("GREETING", "hi"), 5);
        InvokeResponse response = invoke(name, "{\"name\":\"kindling\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isNull();
        assertThat(response.executedVersion()).isEqualTo("$LATEST");
        String body = response.payload().asUtf8String();
        assertThat(body).contains("\"hello\": \"kindling\"", "\"function\": \"" + name + "\"", "\"memory\": \"128\"",
                "\"arn\": \"arn:aws:lambda:us-east-1:000000000000:function:" + name + "\"", "\"greeting\": \"hi\"",
                "\"region\": \"us-east-1\"", "\"handler\": \"lambda_function.handler\"", "\"version\": \"$LATEST\"");
        assertThat(body).as("the invocation runs under the Invoke's request id")
                .contains("\"request\": \"" + response.responseMetadata().requestId() + "\"");
    }

    @Test
    void warmEnvironmentIsReused() {
        String name = python("""
                count = 0
                def handler(event, context):
                    global count
                    count += 1
                    return count
                """, Map.of(), 5);
        assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("1");
        assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("2");
    }

    @Test
    void warmEnvironmentsStillServeAfterLongerThanAConnectionIdleTimeout() throws InterruptedException {
        // A waiting GET /next outlives the HTTP server's 30 s idle timeout: the runtime is not cut off while idle.
        // The behaviour is about time, so this test waits a fixed 40 s: 10 s past the idle timeout.
        String python = python(Rendezvous.PYTHON + """
                def handler(event, context):
                    return ENVIRONMENT
                """, Map.of(), 5);
        String node = "node-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(node, ServerFixture.zipOf(Map.of("index.mjs",
                "import { randomUUID } from 'node:crypto';\n"
                        + "const environment = randomUUID();\n"
                        + "export const handler = async () => environment;"))).runtime(Runtime.NODEJS20_X)
                .handler("index.handler").build());
        String pythonEnvironment = invoke(python, "{}").payload().asUtf8String();
        String nodeEnvironment = invoke(node, "{}").payload().asUtf8String();
        Thread.sleep(40_000);
        InvokeResponse pythonAgain = invoke(python, "{}");
        InvokeResponse nodeAgain = invoke(node, "{}");
        assertThat(pythonAgain.functionError()).isNull();
        assertThat(pythonAgain.payload().asUtf8String()).as("the same warm Python environment")
                .isEqualTo(pythonEnvironment);
        assertThat(nodeAgain.functionError()).isNull();
        assertThat(nodeAgain.payload().asUtf8String()).as("the same warm Node environment").isEqualTo(nodeEnvironment);
    }

    @Test
    void nodeHelloWorld() {
        String name = "node-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("index.mjs",
                "export const handler = async (event, context) => ({ sum: event.a + event.b, fn: context.functionName });")))
                .runtime(Runtime.NODEJS20_X).handler("index.handler").build());
        assertThat(invoke(name, "{\"a\":2,\"b\":3}").payload().asUtf8String())
                .isEqualTo("{\"sum\":5,\"fn\":\"" + name + "\"}");
    }

    @Test
    void customBootstrapSpeaksTheRuntimeApi() {
        String bootstrap = """
                #!/usr/bin/python3
                import os, urllib.request
                api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
                while True:
                    with urllib.request.urlopen(api + "next") as r:
                        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
                        event = r.read()
                    urllib.request.urlopen(urllib.request.Request(api + rid + "/response",
                        data=b'{"echo":' + event + b'}', method="POST")).read()
                """;
        String name = "custom-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.customRuntime(bootstrap))
                .runtime(Runtime.PROVIDED_AL2023).handler("ignored").build());
        assertThat(invoke(name, "{\"x\":1}").payload().asUtf8String()).isEqualTo("{\"echo\":{\"x\":1}}");
    }

    @Test
    void handlerErrorHasAwsShape() {
        String name = python("def handler(event, context):\n    raise ValueError('boom')\n", Map.of(), 5);
        InvokeResponse response = invoke(name, "{}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(response.payload().asUtf8String()).contains("\"errorMessage\": \"boom\"",
                "\"errorType\": \"ValueError\"", "\"stackTrace\"");
    }

    @Test
    void initErrorHasAwsShape() {
        String name = python("import no_such_module\ndef handler(event, context):\n    return 1\n", Map.of(), 5);
        InvokeResponse response = invoke(name, "{}");
        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(response.payload().asUtf8String()).contains("Runtime.ImportModuleError",
                "Unable to import module 'lambda_function'");
        assertThat(kindling.logGroup(name)).containsPattern("INIT_REPORT Init Duration: \\d+\\.\\d\\d ms\tPhase: init"
                + "\tStatus: error\tError Type: Runtime.ImportModuleError\nSTART RequestId: ");
    }

    @Test
    void timeoutFailsThenAFreshEnvironmentServes() {
        String name = python("""
                import time
                def handler(event, context):
                    if event.get("sleep"):
                        time.sleep(30)
                    return "awake"
                """, Map.of(), 1);
        InvokeResponse timedOut = invoke(name, "{\"sleep\":true}");
        assertThat(timedOut.functionError()).isEqualTo("Unhandled");
        assertThat(timedOut.payload().asUtf8String()).contains("Task timed out after 1.00 seconds");
        assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("\"awake\"");
    }

    @Test
    void crashMidInvocationIsRuntimeExitErrorAndReplaced() {
        String name = python("""
                import os
                def handler(event, context):
                    if event.get("crash"):
                        os._exit(3)
                    return "alive"
                """, Map.of(), 5);
        InvokeResponse crashed = invoke(name, "{\"crash\":true}");
        assertThat(crashed.functionError()).isEqualTo("Unhandled");
        assertThat(crashed.payload().asUtf8String()).contains("Runtime.ExitError", "exit status 3");
        assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("\"alive\"");
    }

    @Test
    void aRuntimeThatDiesWhileIdleIsReplacedBeforeTheNextInvocation() throws InterruptedException {
        // After answering, a background thread exits the runtime when the test says so: while it is idle.
        String name = python(Rendezvous.PYTHON + """
                import os, threading
                def handler(event, context):
                    if "port" in event:
                        threading.Thread(target=lambda: (arrive(event["port"]), os._exit(4))).start()
                    return ENVIRONMENT
                """, Map.of(), 5);
        try (Rendezvous rendezvous = new Rendezvous()) {
            String first = invoke(name, rendezvous.event()).payload().asUtf8String();
            Rendezvous.Caller runtime = rendezvous.next("the first environment");
            runtime.release();
            runtime.awaitEnd("the runtime told to exit");
            InvokeResponse second = invoke(name, "{}");
            assertThat(second.functionError()).as("the dead environment is not used").isNull();
            assertThat(second.payload().asUtf8String()).as("another environment").isNotEqualTo(first);
        }
    }

    @Test
    void anEventARuntimeExitedBeforeTakingRunsInAFreshEnvironment() throws Exception {
        // Answers one invocation, then exits when the test says so without asking for the next: the next Invoke
        // leases the environment while its runtime is still alive, and the runtime dies before taking that event.
        String bootstrap = "#!/usr/bin/python3\n" + Rendezvous.PYTHON + """
                import json, os, urllib.request
                api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
                with urllib.request.urlopen(api + "next") as r:
                    rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
                    event = json.loads(r.read())
                urllib.request.urlopen(urllib.request.Request(api + rid + "/response",
                    data=json.dumps(ENVIRONMENT).encode(), method="POST")).read()
                if "port" in event:
                    arrive(event["port"])
                os._exit(1)
                """;
        String name = "custom-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.customRuntime(bootstrap))
                .runtime(Runtime.PROVIDED_AL2023).handler("ignored").build());
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Rendezvous rendezvous = new Rendezvous()) {
            String first = invoke(name, rendezvous.event()).payload().asUtf8String();
            Rendezvous.Caller runtime = rendezvous.next("the runtime that answered");
            Future<InvokeResponse> second = caller.submit(() -> invoke(name, "{}"));
            // The lease of the waiting runtime cannot be observed from outside: give the Invoke a moment to reach
            // it. Should it take longer, the runtime dies while idle and the other path serves the event; the
            // assertions hold either way, so this wait decides only which path is tested, never the outcome.
            Thread.sleep(1000);
            runtime.release();
            InvokeResponse response = second.get(Rendezvous.DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.functionError()).as("the event the dead runtime never took still runs").isNull();
            assertThat(response.payload().asUtf8String()).as("in another environment").isNotEqualTo(first);
            runtime.awaitEnd("the runtime that exited");
        } finally {
            caller.shutdown();
        }
    }

    @Test
    void codeUpdateIsSeenByTheNextInvocation() {
        String name = python("def handler(event, context):\n    return 'old'\n", Map.of(), 5);
        assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("\"old\"");
        kindling.lambda().updateFunctionCode(r -> r.functionName(name).zipFile(SdkBytes.fromByteArray(ServerFixture.zipOf(
                Map.of("lambda_function.py", "def handler(event, context):\n    return 'new'\n")))));
        assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("\"new\"");
    }

    @Test
    void configurationUpdateIsSeenByTheNextInvocation() {
        String name = python("""
                import os
                def handler(event, context):
                    return [os.environ["COLOUR"], context.memory_limit_in_mb]
                """, Map.of("COLOUR", "red"), 5);
        assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("[\"red\", \"128\"]");
        kindling.lambda().updateFunctionConfiguration(r -> r.functionName(name).memorySize(256)
                .environment(e -> e.variables(Map.of("COLOUR", "blue"))));
        assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("[\"blue\", \"256\"]");
    }

    @Test
    void concurrentInvocationsScaleOut() throws Exception {
        // Each invocation waits until all ten are running at once: they can only if each has an environment.
        String name = python(Rendezvous.PYTHON + """
                def handler(event, context):
                    arrive(event["port"])
                    return ENVIRONMENT
                """, Map.of(), 300);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try (Rendezvous rendezvous = new Rendezvous()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                results.add(pool.submit(() -> invoke(name, rendezvous.event()).payload().asUtf8String()));
            }
            rendezvous.next(10, "ten invocations running at once").forEach(Rendezvous.Caller::release);
            Set<String> environments = new HashSet<>();
            for (Future<String> result : results) {
                environments.add(result.get());
            }
            assertThat(environments).as("one environment each").hasSize(10);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void payloadLimitsAndInvocationTypes() {
        String name = python("def handler(event, context):\n    return event\n", Map.of(), 5);
        String largest = "\"" + "x".repeat(6 * 1024 * 1024 - 2) + "\"";
        assertThat(invoke(name, largest).payload().asUtf8String()).as("6 MB in, the same 6 MB back")
                .isEqualTo(largest);
        String big = "\"" + "x".repeat(6 * 1024 * 1024) + "\"";
        assertLambdaError(() -> invoke(name, big), "RequestEntityTooLargeException", 413);
        assertLambdaError(() -> invoke(name, "not json"), "InvalidRequestContentException", 400);
        assertThat(kindling.lambda().invoke(r -> r.functionName(name).invocationType(InvocationType.DRY_RUN)).statusCode())
                .isEqualTo(204);
        assertThat(kindling.lambda().invoke(r -> r.functionName(name).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{}"))).statusCode()).isEqualTo(202);
        String oneMegabyte = "\"" + "x".repeat(1024 * 1024 - 2) + "\"";
        assertThat(kindling.lambda().invoke(r -> r.functionName(name).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(oneMegabyte))).statusCode()).isEqualTo(202);
        assertThat(ServerFixture.message(assertLambdaError(() -> kindling.lambda().invoke(r -> r.functionName(name)
                .invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String(oneMegabyte + " "))),
                "RequestEntityTooLargeException", 413)))
                .isEqualTo("1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)");
        assertLambdaError(() -> invoke("no-such-function", "{}"), "ResourceNotFoundException", 404);
    }

    @Test
    void qualifierLatestIsAcceptedAndOthersAreNotFound() {
        String name = python("def handler(event, context):\n    return context.invoked_function_arn\n", Map.of(), 5);
        String arn = ServerFixture.ARN_PREFIX + name;
        assertThat(kindling.lambda().invoke(r -> r.functionName(name).qualifier("$LATEST")).payload().asUtf8String())
                .isEqualTo("\"" + arn + ":$LATEST\"");
        assertThat(invoke(name + ":$LATEST", "{}").payload().asUtf8String()).isEqualTo("\"" + arn + ":$LATEST\"");
        assertThat(invoke(arn, "{}").payload().asUtf8String()).isEqualTo("\"" + arn + "\"");
        assertThat(ServerFixture.message(assertLambdaError(() -> kindling.lambda().invoke(r -> r.functionName(name)
                .qualifier("7")), "ResourceNotFoundException", 404))).contains(name + ":7");
        assertLambdaError(() -> kindling.lambda().invoke(r -> r.functionName(name + ":$LATEST").qualifier("7")),
                "InvalidParameterValueException", 400);
    }

    @Test
    void logTailHasStartEndReportAndTheFunctionsOutput() {
        String name = python("import logging\n"
                + "print('init line')\n"
                + "logging.getLogger().setLevel(logging.INFO)\n"
                + "def handler(event, context):\n"
                + "    print('printed line')\n"
                + "    logging.info('logged line')\n"
                + "    return 1\n", Map.of(), 5);
        InvokeResponse cold = kindling.lambda().invoke(r -> r.functionName(name).logType(LogType.TAIL));
        String log = new String(Base64.getDecoder().decode(cold.logResult()), StandardCharsets.UTF_8);
        assertThat(log).containsPattern("START RequestId: [0-9a-f-]{36} Version: \\$LATEST")
                .contains("printed line", "logged line")
                .containsPattern("END RequestId: [0-9a-f-]{36}")
                .containsPattern("REPORT RequestId: [0-9a-f-]{36}\tDuration: \\d+\\.\\d{2} ms\tBilled Duration: \\d+ ms"
                        + "\tMemory Size: 128 MB\tMax Memory Used: [1-9]\\d* MB\tInit Duration: \\d+\\.\\d{2} ms");
        assertThat(log.indexOf("printed line")).isBetween(log.indexOf("START"), log.indexOf("END"));
        InvokeResponse warm = kindling.lambda().invoke(r -> r.functionName(name).logType(LogType.TAIL));
        String warmLog = new String(Base64.getDecoder().decode(warm.logResult()), StandardCharsets.UTF_8);
        assertThat(warmLog).startsWith("START").contains("REPORT").doesNotContain("Init Duration");
        String stream = kindling.logGroup(name);
        assertThat(stream.indexOf("init line")).as("init output comes before the first START")
                .isGreaterThanOrEqualTo(0).isLessThan(stream.indexOf("START RequestId"));
    }

    @Test
    void responseOverSixMegabytesIsAnError() {
        // A timeout of 120 s: answered within 60 s means answered at once, with a wide margin on a loaded machine.
        String name = python("def handler(event, context):\n    return 'x' * event['mb'] * 1024 * 1024\n", Map.of(), 120);
        for (int mb : new int[] {7, 30}) {
            long started = System.nanoTime();
            InvokeResponse response = invoke(name, "{\"mb\": " + mb + "}");
            assertThat(response.functionError()).isEqualTo("Unhandled");
            assertThat(response.payload().asUtf8String()).contains("Function.ResponseSizeTooLarge");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered at once, not at the timeout")
                    .isLessThan(Duration.ofSeconds(60));
        }
        assertThat(invoke(name, "{\"mb\": 0}").functionError()).as("the environment still serves").isNull();
    }

    @Test
    void nodeCommonJsCallbackHandler() {
        String name = "cjs-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("app/main.js",
                "exports.run = (event, context, callback) => callback(null, { id: context.awsRequestId.length,"
                        + " left: context.getRemainingTimeInMillis() > 0 });")))
                .runtime(Runtime.NODEJS20_X).handler("app/main.run").build());
        assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("{\"id\":36,\"left\":true}");
    }

    @Test
    void eventInvocationRunsTheFunction() throws Exception {
        String name = python("def handler(event, context):\n    print('event seen', event['n'])\n", Map.of(), 5);
        InvokeResponse accepted = kindling.lambda().invoke(r -> r.functionName(name)
                .invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{\"n\": 42}")));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String started = "START RequestId: " + accepted.responseMetadata().requestId();
        long deadline = System.nanoTime() + Rendezvous.DEADLINE.toNanos();
        boolean seen = false;
        while (!seen && System.nanoTime() < deadline) {
            Thread.sleep(100);
            String log = kindling.logGroup(name);
            seen = log.contains(started) && log.contains("event seen 42");
        }
        assertThat(seen).as("the event reached the function's log").isTrue();
    }

    @Test
    void anEnvironmentCannotAnswerAnInvocationThatIsNotItsOwn() {
        String bootstrap = """
                #!/usr/bin/python3
                import os, urllib.request, urllib.error
                api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
                while True:
                    with urllib.request.urlopen(api + "next") as r:
                        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
                    try:
                        urllib.request.urlopen(urllib.request.Request(api + "00000000-0000-0000-0000-000000000000/response",
                            data=b'"stolen"', method="POST"))
                        status = 202
                    except urllib.error.HTTPError as e:
                        status = e.code
                    urllib.request.urlopen(urllib.request.Request(api + rid + "/response",
                        data=str(status).encode(), method="POST")).read()
                """;
        String name = "own-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.customRuntime(bootstrap))
                .runtime(Runtime.PROVIDED_AL2).handler("ignored").build());
        assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("400");
    }

    @Test
    void anInvocationIsAnsweredOnlyOnce() {
        // Answers each invocation, then answers it again; the next invocation reports what the repeat got.
        String bootstrap = """
                #!/usr/bin/python3
                import os, urllib.request, urllib.error
                api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
                repeat = "none"
                while True:
                    with urllib.request.urlopen(api + "next") as r:
                        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
                    answer = urllib.request.Request(api + rid + "/response", data=repeat.encode(), method="POST")
                    urllib.request.urlopen(answer).read()
                    try:
                        urllib.request.urlopen(urllib.request.Request(api + rid + "/response", data=b'"again"',
                            method="POST")).read()
                        repeat = '"accepted"'
                    except urllib.error.HTTPError as e:
                        repeat = '"refused %d"' % e.code
                """;
        String name = "once-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.customRuntime(bootstrap))
                .runtime(Runtime.PROVIDED_AL2).handler("ignored").build());
        assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("none");
        assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("\"refused 400\"");
    }
}
