package dev.kindling.code;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The /opt of functions with layers: one directory per ordered list of layers, merged on the host from the layers'
 * unpacked trees in the {@link CodeStore}, in order, a later layer's file replacing an earlier one's at the same
 * path, as on AWS. Made at the first cold start that needs it, then shared by every environment of every function
 * with the same layers; named by a digest of the layers' SHA-256s in order.
 *
 * <p>Files are hard links to the store's read-only copies (copies where the file system refuses a link), so a
 * merged directory costs little space and survives its layers' blobs being removed. Each is built aside and renamed
 * into place, so an environment never sees half of one. Merged directories are removed at start, when no environment
 * can be using them, and rebuilt on demand.
 */
public final class MergedLayers {
    private final CodeStore code;
    private final Path root;
    private final Map<String, ReentrantLock> building = new ConcurrentHashMap<>();

    public MergedLayers(CodeStore code, Path root) {
        this.code = code;
        this.root = root;
        try {
            CodeStore.deleteTree(root);
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The merged directory of the layers whose code has these SHA-256s, in this order; built if it is not yet. */
    public Path merged(List<String> layerSha256s) throws IOException {
        String key = digest(String.join(",", layerSha256s));
        Path merged = root.resolve(key);
        ReentrantLock lock = building.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            if (Files.isDirectory(merged)) {
                return merged;
            }
            Path aside = root.resolve(key + ".building-" + UUID.randomUUID());
            try {
                createReadable(aside);
                for (String sha : layerSha256s) {
                    overlay(code.taskRoot(sha), aside);
                }
                Files.move(aside, merged, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                CodeStore.deleteTree(aside);
            }
            return merged;
        } finally {
            lock.unlock();
        }
    }

    /** Puts every entry of {@code layer} into {@code target}, replacing what an earlier layer put at its path. */
    private static void overlay(Path layer, Path target) throws IOException {
        Files.walkFileTree(layer, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path to = target.resolve(layer.relativize(dir).toString());
                if (Files.exists(to, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(to); // a file of an earlier layer where this layer has a directory
                }
                if (!Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
                    createReadable(to);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path to = target.resolve(layer.relativize(file).toString());
                if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
                    CodeStore.deleteTree(to); // a directory of an earlier layer where this layer has a file
                } else {
                    Files.deleteIfExists(to);
                }
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(to, Files.readSymbolicLink(file));
                } else {
                    link(file, to);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void link(Path file, Path to) throws IOException {
        try {
            Files.createLink(to, file);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) { // another file system, or links refused
            Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** Environments run as users of their own: the merged tree's directories must be readable by anyone. */
    private static void createReadable(Path dir) throws IOException {
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
