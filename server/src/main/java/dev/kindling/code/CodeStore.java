package dev.kindling.code;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Function code, content-addressed by SHA-256: each zip once as {@code blobs/<sha>.zip}, and unpacked, read-only,
 * as {@code tasks/<sha>/} (the directory an environment sees as /var/task). New code is staged first and published
 * by a rename, so a crash leaves either the whole of it or an unreferenced leftover that {@link #retainOnly} sweeps.
 */
public final class CodeStore {
    /** AWS's limits for a zip uploaded directly, and for its unpacked content. */
    public static final long MAX_ZIPPED_BYTES = 52_428_800;
    public static final long MAX_UNZIPPED_BYTES = 262_144_000;

    private final Path blobs;
    private final Path tasks;
    private final Path staging;
    private final ZipUnpacker unpacker = new ZipUnpacker(MAX_UNZIPPED_BYTES);

    public CodeStore(Path codeDir) {
        this.blobs = codeDir.resolve("blobs");
        this.tasks = codeDir.resolve("tasks");
        this.staging = codeDir.resolve("staging");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(tasks);
            deleteTree(staging);
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks and unpacks a zip into the staging area. Throws the AWS error a bad zip deserves. The caller has held
     * an inline zip to {@link #MAX_ZIPPED_BYTES}; one from S3 may be as large as it unpacks to.
     */
    public StagedCode stage(byte[] zip) {
        if (zip.length > MAX_UNZIPPED_BYTES) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Unzipped size must be smaller than " + MAX_UNZIPPED_BYTES + " bytes");
        }
        byte[] digest = sha256(zip);
        String id = UUID.randomUUID().toString();
        Path zipFile = staging.resolve(id + ".zip");
        Path dir = staging.resolve(id);
        try {
            try (FileChannel out = FileChannel.open(zipFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(zip));
                out.force(true);
            }
            unpacker.unpack(zipFile, dir);
        } catch (IOException | RuntimeException e) {
            discard(zipFile, dir);
            if (e instanceof LambdaException le) {
                throw le;
            }
            throw new LambdaException(ErrorType.InvalidParameterValueException, ZipUnpacker.UNZIP_FAILED);
        }
        return new StagedCode(HexFormat.of().formatHex(digest), Base64.getEncoder().encodeToString(digest),
                zip.length, zipFile, dir);
    }

    /** Moves staged code into the store; a no-op for code the store holds already. */
    public void publish(StagedCode code) {
        try {
            Path blob = blob(code.sha256Hex());
            Path task = taskRoot(code.sha256Hex());
            if (!Files.exists(task)) {
                Files.move(code.unpackedDir(), task, StandardCopyOption.ATOMIC_MOVE);
            }
            if (!Files.exists(blob)) {
                Files.move(code.zipFile(), blob, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            discard(code);
        }
    }

    public void discard(StagedCode code) {
        discard(code.zipFile(), code.unpackedDir());
    }

    public Path blob(String sha256Hex) {
        return blobs.resolve(sha256Hex + ".zip");
    }

    /** The unpacked, read-only code: what an environment runs. */
    public Path taskRoot(String sha256Hex) {
        return tasks.resolve(sha256Hex);
    }

    /** The size of the unpacked code, in bytes: what AWS counts against the unzipped limit. */
    public long unpackedSize(String sha256Hex) {
        return unpackedSize(taskRoot(sha256Hex));
    }

    /** The total size of the regular files under {@code dir} (symlinks not followed), in bytes. */
    public static long unpackedSize(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean contains(String sha256Hex) {
        return Files.exists(blob(sha256Hex));
    }

    public void remove(String sha256Hex) {
        try {
            Files.deleteIfExists(blob(sha256Hex));
            deleteTree(taskRoot(sha256Hex));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes every blob not in {@code referenced}: leftovers of a crash between publish and commit. */
    public void retainOnly(Collection<String> referenced) {
        Set<String> keep = Set.copyOf(referenced);
        try (Stream<Path> files = Files.list(blobs)) {
            files.map(p -> p.getFileName().toString().replace(".zip", ""))
                    .filter(sha -> !keep.contains(sha))
                    .forEach(this::remove);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> dirs = Files.list(tasks)) {
            dirs.filter(p -> !keep.contains(p.getFileName().toString())).forEach(p -> remove(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void discard(Path zipFile, Path dir) {
        try {
            Files.deleteIfExists(zipFile);
            deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a tree that may be read-only, without following symlinks out of it. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    p.toFile().setWritable(true, true);
                }
                Path parent = p.getParent();
                if (parent != null) {
                    parent.toFile().setWritable(true, true);
                }
                Files.deleteIfExists(p);
            }
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
