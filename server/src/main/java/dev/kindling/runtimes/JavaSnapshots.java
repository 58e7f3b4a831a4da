package dev.kindling.runtimes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Kindling's SnapStart for Java: per-function ahead-of-time caches (the JDK's AOT cache, JEP 483/514/515, from JDK
 * 25; an AppCDS archive before), each in a directory of its own under {@code <data>/snapstart}, named by a key of
 * everything the cache depends on (code, layers, handler, variables, memory, runtime, JDK, Kindling's runtime jars).
 * A changed function has a new key, so a stale cache is never used; an unused one is harmless.
 *
 * <p>A directory is what an environment sees as its runtime directory (/var/runtime): Kindling's runtime jars,
 * {@code task.jar} (the function's root files as a jar: caches cover jars only), and the cache. It is trained in
 * place (a cache records the paths it was trained with, and without a sandbox those are the host's), and counts as
 * ready once the cache's checksum is written, last; a cache whose checksum no longer matches (a broken file) is
 * deleted and ignored, never used.
 */
public final class JavaSnapshots {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JavaSnapshots.class);
    private static final String CHECKSUM = "cache.crc32c";

    private final Path root;
    private final Path runtimeDir;
    /** Caches whose checksum was verified in this process, by directory: the file's size and time then. */
    private final Map<Path, String> verified = new ConcurrentHashMap<>();
    private volatile byte[] runtimeDigest;

    /** @param runtimeDir the Java runtime's files ({@link RuntimeCatalog#hostRuntimeDir} of a Java runtime) */
    public JavaSnapshots(Path root, Path runtimeDir) {
        this.root = root;
        this.runtimeDir = runtimeDir;
        deleteAbandonedTrainings();
    }

    /** A training the server did not see to its end (it stopped) left a directory without a checksum: gone now. */
    private void deleteAbandonedTrainings() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(d -> !Files.isRegularFile(d.resolve(CHECKSUM), LinkOption.NOFOLLOW_LINKS))
                    .forEach(JavaSnapshots::deleteTree);
        } catch (IOException e) {
            LOG.debug("could not list {}: {}", root, e.toString());
        }
    }

    /** What a Java function's cache depends on. */
    public record Subject(String runtime, Jdks.Jdk jdk, String handler, int memoryMb, String codeSha256Hex,
            List<String> layerSha256Hexes, Map<String, String> environment) {}

    /** The name of {@code subject}'s cache directory: a digest of all it depends on. */
    public String key(Subject subject) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String described = String.join("\n", subject.runtime(), subject.jdk().home().toString(),
                    subject.jdk().description(), subject.handler(), Integer.toString(subject.memoryMb()),
                    subject.codeSha256Hex(), String.join(",", subject.layerSha256Hexes()),
                    new TreeMap<>(subject.environment()).toString());
            digest.update(described.getBytes(StandardCharsets.UTF_8));
            digest.update(runtimeDigest());
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest of Kindling's runtime jars: read once (4 MB), as they change only with Kindling. */
    private byte[] runtimeDigest() {
        byte[] known = runtimeDigest;
        if (known == null) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                for (String file : runtimeFiles()) {
                    digest.update(Files.readAllBytes(runtimeDir.resolve(file)));
                }
                known = digest.digest();
                runtimeDigest = known;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return known;
    }

    /**
     * What there is for {@code key}: a cache ready to use (its directory), nothing yet, or a broken one (its checksum
     * fails: it is then deleted, and {@code problem} says so for the function's log).
     */
    public record Lookup(Optional<Path> dir, Optional<String> problem) {}

    public Lookup lookup(String key, Jdks.Jdk jdk) {
        Path dir = root.resolve(key);
        Path cache = dir.resolve(JavaLaunch.cacheFileName(jdk));
        if (!Files.isRegularFile(dir.resolve(CHECKSUM), LinkOption.NOFOLLOW_LINKS)) {
            return new Lookup(Optional.empty(), Optional.empty()); // none, or one being trained
        }
        try {
            String stamp = Files.size(cache) + "@" + Files.getLastModifiedTime(cache).toMillis();
            if (!stamp.equals(verified.get(dir))) {
                String expected = Files.readString(dir.resolve(CHECKSUM)).trim();
                if (!expected.equals(crc32c(cache))) {
                    throw new IOException("its checksum does not match");
                }
                verified.put(dir, stamp);
            }
            return new Lookup(Optional.of(dir), Optional.empty());
        } catch (IOException | RuntimeException e) {
            LOG.warn("SnapStart: the cache {} is broken ({}): deleted; environments start without it", dir,
                    e.toString());
            discard(key);
            return new Lookup(Optional.empty(), Optional.of("the cache " + cache + " is broken (" + e.getMessage()
                    + "): ignored and deleted"));
        }
    }

    /** Whether there is a cache for {@code key}, without checking it (that is {@link #lookup}'s, at a cold start). */
    public boolean exists(String key) {
        return Files.isRegularFile(root.resolve(key).resolve(CHECKSUM), LinkOption.NOFOLLOW_LINKS);
    }

    /** Deletes the cache of {@code key}. */
    public void discard(String key) {
        verified.remove(root.resolve(key));
        deleteTree(root.resolve(key));
    }

    /**
     * A new directory to train a cache in: Kindling's runtime jars and the function's root files as task.jar, all
     * readable by the environment's user, the directory writable by it (the JVM writes the cache there).
     */
    public Path prepare(String key, Path hostTaskRoot) throws IOException {
        Files.createDirectories(root);
        Path dir = root.resolve(key);
        deleteTree(dir);
        Files.createDirectory(dir);
        for (String file : runtimeFiles()) {
            Path target = dir.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(runtimeDir.resolve(file), target, StandardCopyOption.COPY_ATTRIBUTES);
        }
        jarTaskRoot(hostTaskRoot, dir.resolve(JavaLaunch.TASK_JAR));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
                        : "rw-r--r--"));
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    /**
     * Makes a trained directory ready if the JVM wrote its cache there: what else the training left goes, and the
     * cache's checksum is written. Deletes the directory otherwise. Returns whether a cache is now ready.
     */
    public boolean complete(String key, Path trained, Jdks.Jdk jdk) {
        Path cache = trained.resolve(JavaLaunch.cacheFileName(jdk));
        boolean ready = false;
        try {
            if (!Files.isRegularFile(cache, LinkOption.NOFOLLOW_LINKS) || Files.size(cache) == 0) {
                return false;
            }
            try (Stream<Path> files = Files.list(trained)) { // what else the training left (temporary files) goes
                for (Path p : files.toList()) {
                    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !p.equals(cache)
                            && !runtimeFiles().contains(trained.relativize(p).toString())
                            && !p.getFileName().toString().equals(JavaLaunch.TASK_JAR)) {
                        Files.delete(p);
                    }
                }
            }
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(trained, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(trained.resolve(CHECKSUM), crc32c(cache)); // last: the directory is ready
            ready = true;
            return true;
        } catch (IOException e) {
            LOG.warn("SnapStart: could not keep the cache trained in {}: {}", trained, e.toString());
            return false;
        } finally {
            if (!ready) {
                deleteTree(trained);
            }
        }
    }

    /** Deletes a directory a training left (failed or abandoned). */
    public void abandon(Path trained) {
        deleteTree(trained);
    }

    private static List<String> runtimeFiles() {
        List<String> files = new ArrayList<>();
        files.add(JavaLaunch.RUNTIME_JAR);
        files.addAll(JavaLaunch.RUNTIME_LIBS);
        return files;
    }

    /** The task root's files but lib/, as one jar, in a fixed order. */
    private static void jarTaskRoot(Path taskRoot, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out);
                Stream<Path> files = Files.walk(taskRoot)) {
            for (Path file : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                String name = taskRoot.relativize(file).toString();
                if (name.startsWith("lib/")) {
                    continue;
                }
                ZipEntry entry = new ZipEntry(name);
                entry.setTime(0);
                zip.putNextEntry(entry);
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
    }

    static String crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return Long.toHexString(crc.getValue());
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.toString());
        }
    }
}
