package dev.kindling.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of a process, for the REPORT line's Max Memory Used. */
public final class MemoryUsage {
    private MemoryUsage() {}

    /** VmHWM of /proc/&lt;pid&gt;/status in MB (rounded up), or 0 when the process is gone. */
    public static long peakMegabytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kb + 1023) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
