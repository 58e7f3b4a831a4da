package dev.kindling.store;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One version of a function as stored: its whole configuration and the code it points to. The unpublished version
 * (whose name {@code control} gives) changes, each change a new record with a new revision id made with
 * {@link #toBuilder()}; a published version never changes.
 *
 * <p>Built by name, field by field ({@link #builder()}), never positionally: most fields are strings and ints, and a
 * swapped pair would compile.
 */
public final class FunctionRecord {
    private final String name;
    private final String version;
    private final String runtime;
    private final String role;
    private final String handler;
    private final String description;
    private final int timeoutSeconds;
    private final int memoryMb;
    private final int ephemeralStorageMb;
    private final Map<String, String> environment;
    private final boolean environmentConfigured;
    private final List<String> architectures;
    private final List<LayerReference> layers;
    private final LoggingSettings logging;
    private final String tracingMode;
    private final String packageType;
    private final String snapStartApplyOn;
    /** DeadLetterConfig.TargetArn; empty for none. */
    private final String deadLetterTarget;
    private final String codeSha256Hex;
    private final long codeSize;
    private final String revisionId;
    private final Instant lastModified;

    /** LoggingConfig as AWS stores it; LogGroup defaults to /aws/lambda/&lt;name&gt;. */
    public record LoggingSettings(String logFormat, String applicationLogLevel, String systemLogLevel, String logGroup) {}

    private FunctionRecord(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.version = Objects.requireNonNull(b.version, "version");
        this.runtime = Objects.requireNonNull(b.runtime, "runtime");
        this.role = Objects.requireNonNull(b.role, "role");
        this.handler = Objects.requireNonNull(b.handler, "handler");
        this.description = b.description;
        this.timeoutSeconds = b.timeoutSeconds;
        this.memoryMb = b.memoryMb;
        this.ephemeralStorageMb = b.ephemeralStorageMb;
        // Kept in the order sent: AWS echoes it, and quotes it so in the size error.
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.environmentConfigured = b.environmentConfigured;
        this.architectures = List.copyOf(b.architectures);
        this.layers = List.copyOf(b.layers);
        this.logging = b.logging != null ? b.logging : new LoggingSettings("Text", null, null, "/aws/lambda/" + name);
        this.tracingMode = b.tracingMode;
        this.packageType = b.packageType;
        this.snapStartApplyOn = b.snapStartApplyOn;
        this.deadLetterTarget = Objects.requireNonNull(b.deadLetterTarget);
        this.codeSha256Hex = Objects.requireNonNull(b.codeSha256Hex, "codeSha256Hex");
        this.codeSize = b.codeSize;
        this.revisionId = Objects.requireNonNull(b.revisionId, "revisionId");
        this.lastModified = Objects.requireNonNull(b.lastModified, "lastModified");
    }

    /**
     * A record to fill in. Name, version, runtime, role, handler, code, revision and modification time must be set; the
     * rest start at AWS's defaults for CreateFunction (3 s, 128 MB, 512 MB of /tmp, x86_64, PassThrough, Zip,
     * Text logs to /aws/lambda/&lt;name&gt;).
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record's values, to make a changed copy. */
    public Builder toBuilder() {
        return new Builder().name(name).version(version).runtime(runtime).role(role).handler(handler).description(description)
                .timeoutSeconds(timeoutSeconds).memoryMb(memoryMb).ephemeralStorageMb(ephemeralStorageMb)
                .environment(environment).environmentConfigured(environmentConfigured).architectures(architectures)
                .layers(layers).logging(logging).tracingMode(tracingMode).packageType(packageType)
                .snapStartApplyOn(snapStartApplyOn)
                .deadLetterTarget(deadLetterTarget()).code(codeSha256Hex, codeSize).revisionId(revisionId).lastModified(lastModified);
    }

    public String name() {
        return name;
    }

    /** The version this record is: the unpublished one's name, or a published version's number. */
    public String version() {
        return version;
    }

    /** {@code name:version}: names this version among every function's versions. */
    public String qualifiedName() {
        return name + ":" + version;
    }

    public String runtime() {
        return runtime;
    }

    public String role() {
        return role;
    }

    public String handler() {
        return handler;
    }

    public String description() {
        return description;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    public int memoryMb() {
        return memoryMb;
    }

    public int ephemeralStorageMb() {
        return ephemeralStorageMb;
    }

    /** The variables set for the function; empty if none. */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * True once a request has set Environment, even to no variables. AWS then shows {@code "Environment":
     * {"Variables": {}}} in the function's configuration, and leaves Environment out for a function never given one.
     */
    public boolean environmentConfigured() {
        return environmentConfigured;
    }

    public List<String> architectures() {
        return architectures;
    }

    /** The function's layers, in the order their contents are merged under /opt (later ones win). */
    public List<LayerReference> layers() {
        return layers;
    }

    public LoggingSettings logging() {
        return logging;
    }

    public String tracingMode() {
        return tracingMode;
    }

    public String packageType() {
        return packageType;
    }

    /** SnapStart's ApplyOn: {@code None} or {@code PublishedVersions}. */
    public String snapStartApplyOn() {
        return snapStartApplyOn;
    }

    /** Where asynchronous events that failed every attempt go (DeadLetterConfig.TargetArn), if anywhere. */
    public java.util.Optional<String> deadLetterTarget() {
        return deadLetterTarget.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(deadLetterTarget);
    }

    public String codeSha256Hex() {
        return codeSha256Hex;
    }

    public long codeSize() {
        return codeSize;
    }

    public String revisionId() {
        return revisionId;
    }

    public Instant lastModified() {
        return lastModified;
    }

    @Override
    public String toString() {
        return "FunctionRecord[" + qualifiedName() + ", " + runtime + ", revision " + revisionId + "]";
    }

    /** Fills in a {@link FunctionRecord} by field name; see {@link FunctionRecord#builder()}. */
    public static final class Builder {
        private String name;
        private String version;
        private String runtime;
        private String role;
        private String handler;
        private String description = "";
        private int timeoutSeconds = 3;
        private int memoryMb = 128;
        private int ephemeralStorageMb = 512;
        private Map<String, String> environment = Map.of();
        private boolean environmentConfigured;
        private List<String> architectures = List.of("x86_64");
        private List<LayerReference> layers = List.of();
        private LoggingSettings logging;
        private String tracingMode = "PassThrough";
        private String packageType = "Zip";
        private String snapStartApplyOn = "None";
        private String deadLetterTarget = "";
        private String codeSha256Hex;
        private long codeSize;
        private String revisionId;
        private Instant lastModified;

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder runtime(String runtime) {
            this.runtime = runtime;
            return this;
        }

        public Builder role(String role) {
            this.role = role;
            return this;
        }

        public Builder handler(String handler) {
            this.handler = handler;
            return this;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description);
            return this;
        }

        public Builder timeoutSeconds(int timeoutSeconds) {
            this.timeoutSeconds = timeoutSeconds;
            return this;
        }

        public Builder memoryMb(int memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        public Builder ephemeralStorageMb(int ephemeralStorageMb) {
            this.ephemeralStorageMb = ephemeralStorageMb;
            return this;
        }

        public Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment);
            return this;
        }

        public Builder environmentConfigured(boolean environmentConfigured) {
            this.environmentConfigured = environmentConfigured;
            return this;
        }

        public Builder architectures(List<String> architectures) {
            this.architectures = Objects.requireNonNull(architectures);
            return this;
        }

        public Builder layers(List<LayerReference> layers) {
            this.layers = Objects.requireNonNull(layers);
            return this;
        }

        public Builder logging(LoggingSettings logging) {
            this.logging = Objects.requireNonNull(logging);
            return this;
        }

        public Builder tracingMode(String tracingMode) {
            this.tracingMode = Objects.requireNonNull(tracingMode);
            return this;
        }

        public Builder snapStartApplyOn(String applyOn) {
            this.snapStartApplyOn = Objects.requireNonNull(applyOn);
            return this;
        }

        public Builder packageType(String packageType) {
            this.packageType = Objects.requireNonNull(packageType);
            return this;
        }

        public Builder deadLetterTarget(java.util.Optional<String> target) {
            this.deadLetterTarget = target.orElse("");
            return this;
        }

        /** The code blob: its SHA-256 in hex and its size in bytes, set together as they describe one zip. */
        public Builder code(String sha256Hex, long size) {
            this.codeSha256Hex = sha256Hex;
            this.codeSize = size;
            return this;
        }

        public Builder revisionId(String revisionId) {
            this.revisionId = revisionId;
            return this;
        }

        public Builder lastModified(Instant lastModified) {
            this.lastModified = lastModified;
            return this;
        }

        public FunctionRecord build() {
            return new FunctionRecord(this);
        }
    }
}
