package dev.kindling.telemetry;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * An X-Ray trace header, as AWS passes it between services ({@code X-Amzn-Trace-Id}) and to a function
 * ({@code Lambda-Runtime-Trace-Id}, which the runtimes put in {@code _X_AMZN_TRACE_ID}):
 * {@code Root=1-<8 hex digits of epoch seconds>-<24 hex digits>;Parent=<16 hex digits>;Sampled=<0|1>}.
 *
 * <p>Each invocation gets one ({@link #forInvocation}): the caller's trace continued when the Invoke carried one, a
 * new trace otherwise, with a segment of its own as the function's Parent, the segment the function's own calls hang
 * under and REPORT's XRAY line names.
 *
 * @param root the trace id: {@code 1-<time>-<id>}
 * @param parent the id of the segment that is the parent of whatever the receiver records
 * @param sampled whether the trace is recorded: an upstream decision, or Kindling's for an Active function
 */
public record TraceHeader(String root, Optional<String> parent, boolean sampled) {
    private static final Pattern ROOT = Pattern.compile("1-[0-9a-f]{8}-[0-9a-f]{24}");
    private static final Pattern SEGMENT_ID = Pattern.compile("[0-9a-f]{16}");
    private static final HexFormat HEX = HexFormat.of();

    /**
     * The header an Invoke carried, if it names a valid trace; an unusable one is ignored, as AWS ignores it (the
     * invocation then starts a trace of its own). Fields are {@code key=value} pairs split by {@code ;}, in any order;
     * others (Lineage, Self) are dropped.
     */
    public static Optional<TraceHeader> parse(String header) {
        String root = null;
        String parent = null;
        boolean sampled = false;
        for (String field : header.split(";")) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = field.substring(eq + 1).trim();
            switch (field.substring(0, eq).trim()) {
                case "Root" -> root = value.toLowerCase(java.util.Locale.ROOT);
                case "Parent" -> parent = value.toLowerCase(java.util.Locale.ROOT);
                case "Sampled" -> sampled = value.equals("1");
                default -> { }
            }
        }
        if (root == null || !ROOT.matcher(root).matches()) {
            return Optional.empty();
        }
        return Optional.of(new TraceHeader(root, Optional.ofNullable(parent).filter(p -> SEGMENT_ID.matcher(p).matches()),
                sampled));
    }

    /**
     * The trace of one invocation: {@code upstream}'s trace and sampling decision when the caller sent one, else a new
     * trace, sampled when the function's tracing is Active (Kindling samples every request: no sampling rules apply
     * here) and not when it is PassThrough; in both cases with a new segment as Parent.
     */
    public static TraceHeader forInvocation(Optional<TraceHeader> upstream, boolean active) {
        String segment = newSegmentId();
        return upstream.map(caller -> new TraceHeader(caller.root(), Optional.of(segment), caller.sampled()))
                .orElseGet(() -> new TraceHeader(newRoot(System.currentTimeMillis() / 1000), Optional.of(segment),
                        active));
    }

    /** A new trace id begun at {@code epochSeconds}. */
    static String newRoot(long epochSeconds) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "1-" + HEX.toHexDigits((int) epochSeconds) + "-" + HEX.toHexDigits(random.nextInt())
                + HEX.toHexDigits(random.nextLong());
    }

    /** A new 64-bit segment id in 16 hex digits. */
    static String newSegmentId() {
        return HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** The header's text: {@code Root=...;Parent=...;Sampled=0|1}. */
    public String value() {
        return "Root=" + root + parent.map(p -> ";Parent=" + p).orElse("") + ";Sampled=" + (sampled ? "1" : "0");
    }

    /**
     * The line AWS appends to REPORT for a traced invocation (TracingConfig Active, sampled):
     * {@code XRAY TraceId: <root>\tSegmentId: <parent>\tSampled: true}.
     */
    public String reportLine() {
        return "XRAY TraceId: " + root + "\tSegmentId: " + parent.orElse("") + "\tSampled: " + sampled + "\t";
    }
}
