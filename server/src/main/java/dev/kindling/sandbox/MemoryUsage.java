package dev.kindling.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of a process, for the REPORT line's Max Memory Used. */
public final class MemoryUsage {
    private static final String PEAK = "VmHWM:";

    private MemoryUsage() {}

    /** VmHWM of /proc/&lt;pid&gt;/status in MB (rounded up), or 0 when the process is gone. */
    public static long peakMegabytes(long pid) {
        String status;
        try {
            // Read on every invocation: bytes and a scan, no line splitting or regular expressions.
            status = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "status")),
                    StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return 0;
        }
        int at = status.indexOf(PEAK);
        if (at < 0) {
            return 0;
        }
        long kb = 0;
        for (int i = at + PEAK.length(); i < status.length() && status.charAt(i) != '\n'; i++) {
            char c = status.charAt(i);
            if (c >= '0' && c <= '9') {
                kb = kb * 10 + (c - '0');
            }
        }
        return (kb + 1023) / 1024;
    }
}
