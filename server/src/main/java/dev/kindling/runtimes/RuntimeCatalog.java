package dev.kindling.runtimes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
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
 * How each runtime starts inside an environment: the interpreter and our bootstrap for Python and Node.js, the
 * function's own {@code bootstrap} for the provided runtimes. The bootstraps ship as resources and are written to
 * the data directory at start. A runtime whose exact interpreter is not installed runs on the nearest one that is,
 * which the function's log says at the start of each environment and the server's log says once.
 */
public final class RuntimeCatalog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RuntimeCatalog.class);
    private static final List<Path> BIN_DIRS = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"));
    private static final Pattern PYTHON_MINOR = Pattern.compile("python3\\.(\\d+)");
    private static final Pattern NODE_MAJOR = Pattern.compile("v(\\d+)\\.");

    private final Path runtimeDir;
    private final List<Integer> pythonMinors = installedPythonMinors();
    private final Set<String> substitutionsLogged = ConcurrentHashMap.newKeySet();
    private volatile Optional<Integer> nodeMajor;

    public RuntimeCatalog(Path runtimeDir) {
        this.runtimeDir = runtimeDir;
        extract("python/bootstrap.py");
        extract("nodejs/bootstrap.mjs");
    }

    /**
     * The command that starts a runtime.
     *
     * @param environment variables the runtime needs besides those every environment gets
     * @param note set when the exact interpreter is missing and a nearby one is used, for the function's log
     */
    public record Launch(List<String> command, Path runtimeDir, Map<String, String> environment, String note) {}

    public Launch launch(String runtime, Path taskRoot) {
        if (runtime.startsWith("python")) {
            return python(runtime);
        }
        if (runtime.startsWith("nodejs")) {
            return node(runtime);
        }
        return new Launch(List.of(taskRoot.resolve("bootstrap").toString()), taskRoot, Map.of(), "");
    }

    private Launch python(String runtime) {
        int wanted = Integer.parseInt(runtime.substring("python3.".length()));
        Optional<Integer> chosen = nearest(wanted, pythonMinors);
        Path interpreter = chosen.map(minor -> find("python3." + minor)).orElse(find("python3"));
        String note = chosen.isPresent() && chosen.get() == wanted ? ""
                : substitution(runtime, "python3." + wanted + " is not installed here; running on " + interpreter);
        Path dir = runtimeDir.resolve("python");
        // Run as a module: a script run as __main__ is compiled at every start, a module's bytecode is cached.
        // AWS sets PYTHONPATH to its runtime directory too.
        return new Launch(List.of(String.valueOf(interpreter), "-u", "-m", "bootstrap"), dir,
                Map.of("PYTHONPATH", dir.toString()), note);
    }

    private Launch node(String runtime) {
        int wanted = Integer.parseInt(runtime.replaceAll("\\D", ""));
        Path node = find("node");
        Optional<Integer> installed = installedNodeMajor(node);
        String note = installed.isPresent() && installed.get() == wanted ? ""
                : substitution(runtime, "Node.js " + wanted + " is not installed here; running on " + node
                        + installed.map(major -> " (Node.js " + major + ")").orElse(""));
        return new Launch(List.of(String.valueOf(node), runtimeDir.resolve("nodejs/bootstrap.mjs").toString()),
                runtimeDir.resolve("nodejs"), Map.of(), note);
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

    private void extract(String resource) {
        Path target = runtimeDir.resolve(resource);
        try (InputStream in = RuntimeCatalog.class.getResourceAsStream("/runtimes/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource runtimes/" + resource);
            }
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "bootstrap", ".tmp");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
