package dev.kindling.code;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Unpacks a function's zip into a directory, refusing anything that could escape it: absolute names, ".."
 * segments, symlinks pointing outside, and more than {@code maxUnzippedBytes} of content (counted while
 * inflating, so a zip bomb that lies about its sizes is caught too). The result is read-only.
 */
final class ZipUnpacker {
    static final String UNZIP_FAILED = "Could not unzip uploaded file. Please check your file, then try to upload again.";
    private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");
    private static final Set<PosixFilePermission> READ_EXECUTE = PosixFilePermissions.fromString("r-xr-xr-x");

    private final long maxUnzippedBytes;

    ZipUnpacker(long maxUnzippedBytes) {
        this.maxUnzippedBytes = maxUnzippedBytes;
    }

    void unpack(Path zip, Path target) throws IOException {
        Files.createDirectories(target);
        List<Path> directories = new ArrayList<>();
        directories.add(target);
        long total = 0;
        try (ZipFile zipFile = ZipFile.builder().setPath(zip).get()) {
            Enumeration<ZipArchiveEntry> entries = zipFile.getEntries();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry entry = entries.nextElement();
                Path destination = resolveInside(target, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    directories.add(destination);
                } else if (entry.isUnixSymlink()) {
                    writeSymlink(target, destination, entry.getName(), zipFile.getUnixSymlink(entry));
                } else {
                    Files.createDirectories(destination.getParent());
                    total += copy(zipFile, entry, destination, maxUnzippedBytes - total);
                    boolean executable = (entry.getUnixMode() & 0111) != 0;
                    Files.setPosixFilePermissions(destination, executable ? READ_EXECUTE : READ_ONLY);
                }
            }
        } catch (LambdaException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, UNZIP_FAILED);
        }
        for (Path dir : allDirectories(target)) {
            Files.setPosixFilePermissions(dir, READ_EXECUTE);
        }
    }

    private static List<Path> allDirectories(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            return walk.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    private long copy(ZipFile zipFile, ZipArchiveEntry entry, Path destination, long budget) throws IOException {
        long written = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = zipFile.getInputStream(entry);
                OutputStream out = Files.newOutputStream(destination)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                if (written > budget) {
                    throw new LambdaException(ErrorType.InvalidParameterValueException,
                            "Unzipped size must be smaller than " + maxUnzippedBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        return written;
    }

    private static Path resolveInside(Path root, String entryName) {
        String name = entryName.replace('\\', '/');
        Path resolved = root.resolve(name).normalize();
        if (name.startsWith("/") || !resolved.startsWith(root) || resolved.equals(root) && !name.equals("./")) {
            throw escapes(entryName);
        }
        return resolved;
    }

    private static void writeSymlink(Path root, Path link, String entryName, String linkTarget) throws IOException {
        if (linkTarget == null || linkTarget.startsWith("/")
                || !link.getParent().resolve(linkTarget).normalize().startsWith(root)) {
            throw escapes(entryName);
        }
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of(linkTarget));
    }

    private static LambdaException escapes(String entryName) {
        return new LambdaException(ErrorType.InvalidParameterValueException, UNZIP_FAILED
                + " The zip entry '" + entryName + "' points outside the function's directory.");
    }
}
