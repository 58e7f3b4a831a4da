package dev.kindling.runtimes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * How each runtime starts inside an environment: the interpreter and our bootstrap for Python and Node.js, the
 * function's own {@code bootstrap} for the provided runtimes. The bootstraps ship as resources and are written to
 * the data directory at start.
 */
public final class RuntimeCatalog {
    private static final List<Path> BIN_DIRS = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"));

    private final Path runtimeDir;

    public RuntimeCatalog(Path runtimeDir) {
        this.runtimeDir = runtimeDir;
        extract("python/bootstrap.py");
        extract("nodejs/bootstrap.mjs");
    }

    /**
     * The command that starts {@code runtime}.
     *
     * @param note set when the exact interpreter is missing and a nearby one is used, for the function's log
     */
    public record Launch(List<String> command, Path runtimeDir, String note) {}

    public Launch launch(String runtime, Path taskRoot) {
        if (runtime.startsWith("python")) {
            String version = runtime.substring("python".length());
            Path exact = find("python" + version);
            Path interpreter = exact != null ? exact : find("python3");
            String note = exact != null ? "" : "Kindling: python" + version + " is not installed here; running on "
                    + interpreter;
            return new Launch(List.of(String.valueOf(interpreter), "-u",
                    runtimeDir.resolve("python/bootstrap.py").toString()), runtimeDir.resolve("python"), note);
        }
        if (runtime.startsWith("nodejs")) {
            return new Launch(List.of(String.valueOf(find("node")), runtimeDir.resolve("nodejs/bootstrap.mjs").toString()),
                    runtimeDir.resolve("nodejs"), "");
        }
        return new Launch(List.of(taskRoot.resolve("bootstrap").toString()), taskRoot, "");
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
