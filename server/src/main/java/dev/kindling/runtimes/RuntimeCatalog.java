package dev.kindling.runtimes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How each runtime starts inside an environment: the interpreter and our bootstrap for Python and Node.js, a JDK
 * and Kindling's Java runtime (the java-runtime module) for Java, the function's own {@code bootstrap} for the
 * provided runtimes. The bootstraps ship as resources and are written to
 * the data directory at start. A runtime whose exact interpreter is not installed runs on the nearest one that is,
 * which the function's log says at the start of each environment and the server's log says once.
 */
public final class RuntimeCatalog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RuntimeCatalog.class);
    private static final List<Path> BIN_DIRS = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"));
    private static final Pattern PYTHON_MINOR = Pattern.compile("python3\\.(\\d+)");
    private static final Pattern NODE_MAJOR = Pattern.compile("v(\\d+)\\.");
    /** Tells the Python bootstrap where the layers are when they are not at /opt (no box). */
    private static final String LAYERS_DIR_VARIABLE = "_KINDLING_OPT";

    private final Path runtimeDir;
    private final SdkBundles sdks;
    private final Jdks jdks;
    private final List<Integer> pythonMinors = installedPythonMinors();
    private final Set<String> substitutionsLogged = ConcurrentHashMap.newKeySet();
    private volatile Optional<Integer> nodeMajor;

    /** @param sdks the AWS SDKs put on the Python and Node.js runtimes' paths, as AWS's runtimes bundle them */
    public RuntimeCatalog(Path runtimeDir, SdkBundles sdks, Jdks jdks) {
        this.runtimeDir = runtimeDir;
        this.sdks = sdks;
        this.jdks = jdks;
        extractIfChanged(JavaLaunch.RUNTIME_JAR);
        JavaLaunch.RUNTIME_LIBS.forEach(lib -> extractIfChanged(lib));
        extract("python/bootstrap.py");
        extract("nodejs/bootstrap.mjs");
        extract("nodejs/node-path-resolver.mjs");
        createReadable(runtimeDir.resolve("provided"));
        compilePythonBootstrap();
    }

    /**
     * The command that starts a runtime, with the paths as the runtime sees them.
     *
     * @param environment variables the runtime needs besides those every environment gets
     * @param note set when the exact interpreter is missing and a nearby one is used, for the function's log
     */
    public record Launch(List<String> command, Map<String, String> environment, String note) {}

    /**
     * Where an environment's files are: as its runtime sees them, and the function's own on the host.
     *
     * @param taskRoot the function's code (/var/task in a box)
     * @param runtimeRoot the runtime's files, {@link #hostRuntimeDir} on the host (/var/runtime in a box)
     * @param opt the function's layers, merged (/opt in a box)
     * @param hostTaskRoot the function's code on the host
     * @param hostOpt the function's merged layers on the host; empty without layers
     */
    public record Paths(Path taskRoot, Path runtimeRoot, Path opt, Path hostTaskRoot, Optional<Path> hostOpt) {}

    /** The runtime's own files on the host (its bootstrap), which an environment sees at its runtime directory. */
    public Path hostRuntimeDir(String runtime) {
        return runtimeDir.resolve(family(runtime));
    }

    /**
     * What of a function its runtime's start depends on.
     *
     * @param environment the function's own variables (a Java function's JAVA_TOOL_OPTIONS replaces Kindling's tuning)
     */
    public record Function(String runtime, int memoryMb, Map<String, String> environment) {}

    /** How {@code f}'s runtime starts in an environment whose files are at {@code paths}. */
    public Launch launch(Function f, Paths paths) {
        return launch(f, paths, JavaCacheMode.NONE);
    }

    /**
     * How {@code f}'s runtime starts; a Java function's JVM trains or uses the SnapStart cache in its runtime
     * directory ({@code paths.runtimeRoot()}, then a {@link JavaSnapshots} directory) as {@code cache} says.
     */
    public Launch launch(Function f, Paths paths, JavaCacheMode cache) {
        String runtime = f.runtime();
        return switch (family(runtime)) {
            case "python" -> python(runtime, paths);
            case "nodejs" -> node(runtime, paths.runtimeRoot());
            case "java" -> java(f, paths, cache);
            default -> new Launch(List.of(providedBootstrap(paths).toString()), Map.of(), "");
        };
    }

    /** The Java runtime's own files on the host (Kindling's runtime jar and the two AWS jars it runs with). */
    public Path javaRuntimeDir() {
        return runtimeDir.resolve("java");
    }

    /** The JDK a Java runtime runs on; empty when none suits it (or the runtime is not Java). */
    public Optional<Jdks.Jdk> jdk(String runtime) {
        return jdks.forRuntime(runtime);
    }

    private Launch java(Function f, Paths paths, JavaCacheMode cache) {
        Optional<Jdks.Jdk> found = jdks.forRuntime(f.runtime());
        if (found.isEmpty()) { // entrypointProblem says why; nothing is started
            return new Launch(List.of("java"), Map.of(), "");
        }
        Jdks.Jdk jdk = found.get();
        String note = JavaLaunch.unknownJdkNote(f.runtime(), jdk).map(what -> substitution(f.runtime(),
                "runs on " + jdk.description() + " (" + jdk.home() + ")")).orElse("");
        return JavaLaunch.launch(jdk, paths, f.memoryMb(), f.environment(), cache, note);
    }

    /**
     * Why {@code runtime} cannot start from the files at {@code paths}, in AWS's words; empty when it can. An OS-only
     * runtime can lack its entry point (the function's own bootstrap, or else one a layer put at /opt), a Java runtime
     * its JDK.
     */
    public Optional<String> entrypointProblem(String runtime, Paths paths) {
        if (family(runtime).equals("java")) {
            return jdks.problem(runtime); // a JDK removed since the function was created
        }
        if (!family(runtime).equals("provided")) {
            return Optional.empty();
        }
        Path inTask = paths.hostTaskRoot().resolve("bootstrap");
        Optional<Path> inLayers = paths.hostOpt().map(opt -> opt.resolve("bootstrap")).filter(Files::isRegularFile);
        if (!Files.isRegularFile(inTask) && inLayers.isEmpty()) {
            return Optional.of("Couldn't find valid bootstrap(s): [" + paths.taskRoot().resolve("bootstrap") + " "
                    + paths.opt().resolve("bootstrap") + "]");
        }
        if (!Files.isExecutable(Files.isRegularFile(inTask) ? inTask : inLayers.get())) {
            return Optional.of("fork/exec " + providedBootstrap(paths) + ": permission denied");
        }
        return Optional.empty();
    }

    /** AWS runs the function's own bootstrap, and a layer's at /opt only when the function has none. */
    private static Path providedBootstrap(Paths paths) {
        return Files.isRegularFile(paths.hostTaskRoot().resolve("bootstrap")) ? paths.taskRoot().resolve("bootstrap")
                : paths.opt().resolve("bootstrap");
    }

    private static String family(String runtime) {
        return runtime.startsWith("python") ? "python" : runtime.startsWith("nodejs") ? "nodejs"
                : Jdks.RUNTIMES.containsKey(runtime) ? "java" : "provided";
    }

    private Launch python(String runtime, Paths paths) {
        Path runtimeRoot = paths.runtimeRoot();
        int wanted = Integer.parseInt(runtime.substring("python3.".length()));
        Optional<Integer> chosen = nearest(wanted, pythonMinors);
        Path interpreter = chosen.map(minor -> find("python3." + minor)).orElse(find("python3"));
        String note = chosen.isPresent() && chosen.get() == wanted ? ""
                : substitution(runtime, "python3." + wanted + " is not installed here; running on " + interpreter);
        // Run as a module, whose bytecode was compiled at extraction (an environment cannot write it).
        // AWS sets PYTHONPATH to its runtime directory too.
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PYTHONPATH", runtimeRoot.toString());
        sdks.ensure("python"); // the bootstrap puts <runtime dir>/sdk on sys.path after the function's code and layers
        note = withSdkProblem(note, "python");
        if (!paths.opt().equals(Path.of("/opt"))) {
            // Outside a box the layers are elsewhere: the bootstrap reads this (and removes it) to put them on sys.path.
            environment.put(LAYERS_DIR_VARIABLE, paths.opt().toString());
        }
        return new Launch(List.of(String.valueOf(interpreter), "-u", "-m", "bootstrap"), environment, note);
    }

    private Launch node(String runtime, Path runtimeRoot) {
        int wanted = Integer.parseInt(runtime.replaceAll("\\D", ""));
        Path node = find("node");
        Optional<Integer> installed = installedNodeMajor(node);
        String note = installed.isPresent() && installed.get() == wanted ? ""
                : substitution(runtime, "Node.js " + wanted + " is not installed here; running on " + node
                        + installed.map(major -> " (Node.js " + major + ")").orElse(""));
        sdks.ensure("nodejs"); // into <runtime dir>/node_modules, which NODE_PATH names after the layers', as on AWS
        return new Launch(List.of(String.valueOf(node), runtimeRoot.resolve("bootstrap.mjs").toString()), Map.of(),
                withSdkProblem(note, "nodejs"));
    }

    private String withSdkProblem(String note, String family) {
        return sdks.problem(family).map(problem -> note.isEmpty() ? "Kindling: " + problem
                : note + "\nKindling: " + problem).orElse(note);
    }

    /** The interpreters the Python runtimes run on, newest last. */
    static List<String> installedPythons() {
        return installedPythonMinors().stream().sorted().map(minor -> find("python3." + minor)).filter(p -> p != null)
                .map(Path::toString).toList();
    }

    /** The note for the function's log; the server's log gets it once per runtime. */
    private String substitution(String runtime, String what) {
        String note = "Kindling: " + runtime + ": " + what;
        if (substitutionsLogged.add(runtime)) {
            LOG.info(note);
        }
        return note;
    }

    /** The installed version closest to {@code wanted}; on a tie the newer one. Empty if none is installed. */
    static Optional<Integer> nearest(int wanted, List<Integer> installed) {
        return installed.stream().min(Comparator.<Integer>comparingInt(v -> Math.abs(v - wanted))
                .thenComparing(Comparator.reverseOrder()));
    }

    private static List<Integer> installedPythonMinors() {
        List<Integer> minors = new ArrayList<>();
        for (Path dir : BIN_DIRS) {
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(file -> {
                    Matcher m = PYTHON_MINOR.matcher(file.getFileName().toString());
                    if (m.matches() && Files.isExecutable(file)) {
                        minors.add(Integer.parseInt(m.group(1)));
                    }
                });
            } catch (IOException e) {
                // a missing bin directory holds no interpreter
            }
        }
        return minors;
    }

    /** Node's major version, asked of the binary once (about 30 ms) and remembered. */
    private Optional<Integer> installedNodeMajor(Path node) {
        Optional<Integer> known = nodeMajor;
        if (known == null) {
            known = askNodeVersion(node);
            nodeMajor = known;
        }
        return known;
    }

    private static Optional<Integer> askNodeVersion(Path node) {
        if (node == null) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(5, TimeUnit.SECONDS);
            Matcher m = NODE_MAJOR.matcher(out);
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Path find(String executable) {
        for (Path dir : BIN_DIRS) {
            Path candidate = dir.resolve(executable);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Writes a bootstrap where environments read it: world-readable, as environments run as users of their own. */
    private void extract(String resource) {
        Path target = runtimeDir.resolve(resource);
        try (InputStream in = RuntimeCatalog.class.getResourceAsStream("/runtimes/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource runtimes/" + resource);
            }
            createReadable(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "bootstrap", ".tmp");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a file of the Java runtime unless the same bytes are there already: an unchanged jar keeps its time, which
     * class data archives check.
     */
    private void extractIfChanged(String name) {
        String resource = "java/" + name;
        Path target = runtimeDir.resolve(resource);
        try (InputStream in = RuntimeCatalog.class.getResourceAsStream("/runtimes/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource runtimes/" + resource
                        + ": build Kindling with ./mvnw package (the java-runtime module)");
            }
            byte[] bytes = in.readAllBytes();
            if (Files.isRegularFile(target) && java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        extract(resource);
    }

    private void createReadable(Path dir) {
        try {
            for (Path d = dir; d != null && !d.equals(runtimeDir.getParent()); d = d.getParent()) {
                Files.createDirectories(d);
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compiles the Python bootstrap once for each installed interpreter (about 30 ms each, at start): environments see
     * it read-only and would otherwise compile it at every cold start.
     */
    private void compilePythonBootstrap() {
        Path source = runtimeDir.resolve("python/bootstrap.py");
        for (int minor : pythonMinors) {
            Path interpreter = find("python3." + minor);
            try {
                Process process = new ProcessBuilder(interpreter.toString(), "-m", "py_compile", source.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                LOG.warn("could not compile the Python bootstrap with {}: {}", interpreter, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try (Stream<Path> files = Files.walk(runtimeDir.resolve("python"))) {
            for (Path file : files.toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(
                        Files.isDirectory(file) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
