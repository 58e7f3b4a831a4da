package dev.kindling.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The host's CPU pressure from the kernel's pressure stall information: the share of wall time, since the previous
 * reading, in which at least one runnable task waited for a CPU.
 */
final class CpuPressure {
    private static final Path FILE = Path.of("/proc/pressure/cpu");
    private long lastStallMicros;
    private long lastNanos;

    private CpuPressure(long stallMicros, long nanos) {
        this.lastStallMicros = stallMicros;
        this.lastNanos = nanos;
    }

    /** Empty where the kernel has no pressure information (built without PSI, or booted with psi=0). */
    static Optional<CpuPressure> open() {
        try {
            return Optional.of(new CpuPressure(stallMicros(), System.nanoTime()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The share (0 to 1) of the time since the previous call in which a task waited for a CPU. */
    double stalledShareSinceLast() throws IOException {
        long stall = stallMicros();
        long now = System.nanoTime();
        double share = (stall - lastStallMicros) * 1000.0 / Math.max(1, now - lastNanos);
        lastStallMicros = stall;
        lastNanos = now;
        return Math.min(1, Math.max(0, share));
    }

    /** The "total" of the file's "some" line: microseconds with at least one task waiting, since boot. */
    private static long stallMicros() throws IOException {
        String some = Files.readString(FILE, StandardCharsets.US_ASCII).lines().filter(l -> l.startsWith("some "))
                .findFirst().orElseThrow(() -> new IOException("no 'some' line in " + FILE));
        int at = some.indexOf("total=");
        if (at < 0) {
            throw new IOException("no total in " + FILE);
        }
        return Long.parseLong(some.substring(at + "total=".length()).trim());
    }
}
