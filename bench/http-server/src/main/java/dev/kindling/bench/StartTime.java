package dev.kindling.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

/**
 * JVM process start -> first GET /hello answered, measured from outside.
 * Usage: StartTime java kind classpath reps [jvmFlag...]
 */
public final class StartTime {
    public static void main(String[] args) throws Exception {
        String java = args[0], kind = args[1], cp = args[2];
        int reps = Integer.parseInt(args[3]);
        List<String> flags = List.of(args).subList(4, args.length);
        long[] toReady = new long[reps], toFirst = new long[reps];
        for (int i = 0; i < reps; i++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(flags);
            cmd.addAll(List.of("-cp", cp, "dev.kindling.bench.ServerMain", kind, "0"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(new File("/dev/null")));
            pb.environment().clear(); // clean environment (see PLATFORM-NOTES)
            long t0 = System.nanoTime();
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                while (!(line = r.readLine()).startsWith("READY ")) { /* skip */ }
                toReady[i] = System.nanoTime() - t0;
                int port = Integer.parseInt(line.substring(6).trim());
                try (RawHttp c = new RawHttp(port)) {
                    RawHttp.Resp resp = c.exchange("GET", "/hello", null);
                    if (resp.status() != 200) throw new IllegalStateException("status " + resp.status());
                }
                toFirst[i] = System.nanoTime() - t0;
            } finally {
                p.destroy();
                p.waitFor();
            }
        }
        System.out.printf("start %s: process start -> READY printed: %s%n", kind, Stats.ms(toReady));
        System.out.printf("start %s: process start -> first response: %s%n", kind, Stats.ms(toFirst));
    }
}
