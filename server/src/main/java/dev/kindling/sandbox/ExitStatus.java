package dev.kindling.sandbox;

import java.util.Map;

/** A runtime's exit status in the words AWS uses after "Runtime exited with error: ". */
final class ExitStatus {
    /** The signals a runtime dies of in practice, named as AWS's logs name them. */
    private static final Map<Integer, String> SIGNALS = Map.of(4, "illegal instruction", 6, "aborted",
            7, "bus error", 8, "floating point exception", 9, "killed", 11, "segmentation fault", 15, "terminated");

    private ExitStatus() {}

    /** "exit status 3" for an exit, "signal: killed" for a death by signal (a shell or bubblewrap reports 128+n). */
    static String describe(int status) {
        if (status > 128 && status < 160) {
            int signal = status - 128;
            return "signal: " + SIGNALS.getOrDefault(signal, "signal " + signal);
        }
        return "exit status " + status;
    }
}
