package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

/**
 * Attacks written as real functions, deployed and invoked through the SDK: each tries to leave its box (read what is
 * not its own, exhaust the host, take a neighbour's invocation, signal processes outside) and must fail, while the
 * function itself and its neighbours keep working. Needs what CI has: root and bubblewrap.
 */
class SandboxAttackTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @BeforeAll
    static void theHostAllowsTheWholeBox() {
        assertThat(kindling.server().isolation().missingGuarantees())
                .as("these tests need root, bubblewrap and cgroup v1 (./test.sh installs bubblewrap)").isEmpty();
    }

    private static String deploy(String code, UnaryBuilder settings) {
        String name = "attack-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(settings.apply(ServerFixture.create(name,
                ServerFixture.zipOf(Map.of("lambda_function.py", code))).timeout(60)).build());
        return name;
    }

    private interface UnaryBuilder {
        CreateFunctionRequest.Builder apply(CreateFunctionRequest.Builder builder);
    }

    private static InvokeResponse invoke(String name, String event) {
        return kindling.lambda().invoke(r -> r.functionName(name).logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String(event)));
    }

    private static JsonNode answer(String name, String event) {
        InvokeResponse response = invoke(name, event);
        assertThat(response.functionError()).as("the function's log:%n%s", kindling.logGroup(name)).isNull();
        try {
            return JSON.readTree(response.payload().asByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes the function, which destroys its idle environments at once. */
    private static void retire(String name) {
        kindling.lambda().updateFunctionConfiguration(r -> r.functionName(name).description("retired"));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant giveUp = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for: %s", what).isBefore(giveUp);
            Thread.sleep(50);
        }
    }

    /** Processes on the host running as {@code uid}, from /proc. */
    private static long processesOf(int uid) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("status")).contains("\nUid:\t" + uid + "\t");
                        } catch (IOException e) {
                            return false; // gone meanwhile
                        }
                    }).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String ATTEMPT = """
            import errno, os
            def attempt(action):
                try:
                    return "allowed: %s" % str(action())[:80]
                except OSError as e:
                    return "denied: " + errno.errorcode.get(e.errno, str(e.errno))
            """;

    @Test
    void filesOutsideItsOwnAreNeitherReadableNorWritable() throws Exception {
        String neighbour = deploy("def lambda_handler(e, c):\n    open('/tmp/secret', 'w').write('s')\n"
                + "    return 'ok'\n", b -> b);
        assertThat(invoke(neighbour, "{}").functionError()).isNull();
        Path neighbourCode = Files.list(kindling.dataDir().resolve("code")).filter(Files::isDirectory)
                .flatMap(dir -> {
                    try {
                        return Files.list(dir);
                    } catch (IOException e) {
                        return Stream.empty();
                    }
                }).findFirst().orElseThrow();
        String attacker = deploy(ATTEMPT + """
                def lambda_handler(event, context):
                    return {
                        "data directory": attempt(lambda: os.listdir(event["dataDir"])),
                        "database": attempt(lambda: open(event["dataDir"] + "/kindling.db", "rb").read(16)),
                        "another function's code": attempt(lambda: os.listdir(event["otherCode"])),
                        "root's home": attempt(lambda: os.listdir("/root")),
                        "the host's home directories": attempt(lambda: os.listdir("/home/" + os.listdir("/home")[0])),
                        "shadow passwords": attempt(lambda: open("/etc/shadow").read(10)),
                        "another environment's /tmp": attempt(lambda: open("/tmp/secret").read()),
                        "write /var/task": attempt(lambda: open("/var/task/x", "w").write("x")),
                        "write /": attempt(lambda: open("/x", "w").write("x")),
                        "write /opt": attempt(lambda: open("/opt/x", "w").write("x")),
                        "write /etc": attempt(lambda: open("/etc/x", "w").write("x")),
                        "write /usr": attempt(lambda: open("/usr/x", "w").write("x")),
                        "write /tmp": attempt(lambda: open("/tmp/mine", "w").write("x")),
                    }
                """, b -> b);
        JsonNode seen = answer(attacker, JSON.createObjectNode().put("dataDir", kindling.dataDir().toString())
                .put("otherCode", neighbourCode.toString()).toString());
        seen.fields().forEachRemaining(entry -> {
            if (entry.getKey().equals("write /tmp")) {
                assertThat(entry.getValue().asText()).as("its own /tmp is writable").startsWith("allowed");
            } else { // ENOENT where the path is not in the box at all, EACCES or EROFS where it is read-only
                assertThat(entry.getValue().asText()).as(entry.getKey()).startsWith("denied");
            }
        });
    }

    /** /tmp is disk, as on Lambda: a 128 MB function fills its 512 MB /tmp, gets ENOSPC at the size, and lives on. */
    @Test
    void writingPastTmpsSizeFailsWithEnospcAndTheFunctionSurvives() {
        String name = deploy("""
                import errno, os
                def lambda_handler(event, context):
                    written = 0
                    try:
                        with open("/tmp/fill", "wb") as f:
                            while written < 700 << 20:
                                f.write(b"x" * (1 << 20))
                                written += 1 << 20
                                f.flush()
                        return {"error": None, "written": written}
                    except OSError as e:
                        return {"error": errno.errorcode[e.errno], "written": written}
                    finally:
                        os.remove("/tmp/fill")
                """, b -> b.memorySize(128).ephemeralStorage(e -> e.size(512)));
        JsonNode first = answer(name, "{}");
        assertThat(first.get("error").asText()).isEqualTo("ENOSPC");
        assertThat(first.get("written").asLong()).isBetween(500L << 20, 530L << 20);
        assertThat(answer(name, "{}").get("error").asText()).as("the same environment serves on").isEqualTo("ENOSPC");
        assertThat(kindling.logGroup(name)).containsOnlyOnce("Init Duration");
    }

    @Test
    void allocatingPastMemorySizeIsKilledAndReportedAsAwsDoes() {
        String name = deploy("""
                def lambda_handler(event, context):
                    if event.get("allocate"):
                        hog = [b"x" * (10 << 20) for _ in range(40)]
                        return len(hog)
                    return "fine"
                """, b -> b.memorySize(128));
        InvokeResponse killed = invoke(name, "{\"allocate\": true}");
        assertThat(killed.functionError()).isEqualTo("Unhandled");
        String error = killed.payload().asUtf8String();
        assertThat(error).contains("\"errorType\":\"Runtime.OutOfMemory\"")
                .contains("Error: Runtime exited with error: signal: killed");
        String log = kindling.logGroup(name);
        assertThat(log).contains("Error: Runtime exited with error: signal: killed", "Runtime.OutOfMemory");
        String maxUsed = log.replaceAll("(?s).*Max Memory Used: (\\d+) MB.*", "$1");
        assertThat(Integer.parseInt(maxUsed)).as("Max Memory Used close to the limit").isBetween(100, 128);
        assertThat(answer(name, "{}").asText()).as("the next invocation gets a fresh environment").isEqualTo("fine");
    }

    @Test
    void aForkBombIsContainedAndDiesWithItsEnvironment() throws Exception {
        String name = deploy("""
                import errno, os, time
                def lambda_handler(event, context):
                    forked, error = 0, None
                    try:
                        for _ in range(5000):
                            if os.fork() == 0:
                                time.sleep(3600)
                                os._exit(0)
                            forked += 1
                    except OSError as e:
                        error = errno.errorcode[e.errno]
                    return {"forked": forked, "error": error, "uid": os.getuid()}
                """, b -> b.memorySize(1024)); // room for a thousand processes: the cap on them is what is tested
        JsonNode bomb = answer(name, "{}");
        assertThat(bomb.get("forked").asInt()).as("AWS's cap: 1,024 processes and threads").isLessThan(1024);
        assertThat(bomb.get("error").asText()).isEqualTo("EAGAIN");
        int uid = bomb.get("uid").asInt();
        assertThat(processesOf(uid)).as("the bomb's processes, before the environment goes").isGreaterThan(900);
        retire(name);
        await("every process of the environment to die", () -> processesOf(uid) == 0);
    }

    @Test
    void threadsAndOpenFilesAreCapped() throws Exception {
        String name = deploy("""
                import errno, os, threading, time
                def lambda_handler(event, context):
                    threads = 0
                    try:
                        for _ in range(10000):
                            threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
                            threads += 1
                    except RuntimeError:
                        pass
                    files, error = [], None
                    try:
                        for _ in range(5000):
                            files.append(open("/dev/null"))
                    except OSError as e:
                        error = errno.errorcode[e.errno]
                    opened = len(files)
                    for f in files:
                        f.close()
                    return {"threads": threads, "files": opened, "error": error, "uid": os.getuid()}
                """, b -> b);
        JsonNode seen = answer(name, "{}");
        assertThat(seen.get("threads").asInt()).isGreaterThan(100).isLessThan(1024);
        assertThat(seen.get("files").asInt()).isGreaterThan(100).isLessThan(1024);
        assertThat(seen.get("error").asText()).isEqualTo("EMFILE");
        retire(name);
        int uid = seen.get("uid").asInt();
        await("the environment's process and its threads to die", () -> processesOf(uid) == 0);
    }

    @Test
    void noRuntimeApiButItsOwnAnswersIt() throws Exception {
        String neighbour = deploy("""
                import time
                def lambda_handler(event, context):
                    time.sleep(4)
                    return "neighbour-ok"
                """, b -> b);
        CompletableFuture<InvokeResponse> neighbourCall = CompletableFuture.supplyAsync(() -> invoke(neighbour, "{}"));
        await("the neighbour's invocation to start", () -> kindling.logGroup(neighbour).contains("START"));
        String attacker = deploy("""
                import http.client, os, uuid
                def listening_ports():
                    own = int(os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")[1])
                    ports = set()
                    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
                        for line in open(table).readlines()[1:]:
                            fields = line.split()
                            if fields[3] == "0A":
                                ports.add(int(fields[1].split(":")[1], 16))
                    ports.discard(own)
                    return sorted(ports)
                def probe(port, method, path, body=None):
                    try:
                        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                        connection.request(method, path, body=body)
                        response = connection.getresponse()
                        return {"status": response.status,
                                "request_id": response.getheader("Lambda-Runtime-Aws-Request-Id")}
                    except Exception as e:
                        return {"status": None, "refused": type(e).__name__}
                def lambda_handler(event, context):
                    tried = {}
                    for port in listening_ports():
                        tried[port] = [probe(port, "GET", "/2018-06-01/runtime/invocation/next"),
                                       probe(port, "POST", "/2018-06-01/runtime/invocation/%s/response" % uuid.uuid4(),
                                             b'"hijacked"')]
                    return tried
                """, b -> b);
        JsonNode tried = answer(attacker, "{}");
        assertThat(tried.size()).as("ports were found and tried").isGreaterThan(1);
        tried.fields().forEachRemaining(port -> {
            for (JsonNode attempt : port.getValue()) {
                assertThat(attempt.path("request_id").isMissingNode() || attempt.path("request_id").isNull())
                        .as("port %s handed out no invocation: %s", port.getKey(), attempt).isTrue();
                assertThat(attempt.path("status").asInt()).as("port %s took no answer", port.getKey())
                        .isNotIn(200, 202);
            }
        });
        InvokeResponse neighbourAnswer = neighbourCall.get();
        assertThat(neighbourAnswer.functionError()).isNull();
        assertThat(neighbourAnswer.payload().asUtf8String()).isEqualTo("\"neighbour-ok\"");
    }

    @Test
    void theServerAndOtherEnvironmentsCannotBeSeenOrSignalled() {
        String neighbour = deploy("import os\ndef lambda_handler(e, c):\n    return os.getpid()\n", b -> b);
        assertThat(invoke(neighbour, "{}").functionError()).isNull();
        String attacker = deploy("""
                import os
                def lambda_handler(event, context):
                    visible = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
                    results = {}
                    for name, pid in (("server", event["serverPid"]),):
                        try:
                            os.kill(pid, 9)
                            results[name] = "signalled"
                        except ProcessLookupError:
                            results[name] = "no such process"
                        except PermissionError:
                            results[name] = "not permitted"
                    others = [p for p in visible if p != os.getpid() and p != 1 and p != os.getppid()]
                    return {"visible": visible, "signals": results, "others": others}
                """, b -> b);
        JsonNode seen = answer(attacker, "{\"serverPid\": " + ProcessHandle.current().pid() + "}");
        assertThat(seen.get("signals").get("server").asText()).isEqualTo("no such process");
        assertThat(seen.get("others")).as("only its own processes are visible: %s", seen.get("visible")).isEmpty();
        assertThat(invoke(neighbour, "{}").functionError()).as("the neighbour lives on").isNull();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }
}
