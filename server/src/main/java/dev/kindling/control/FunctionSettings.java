package dev.kindling.control;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration fields of a CreateFunction or UpdateFunctionConfiguration request, as the client sent them.
 * An empty field was not in the request: on create it takes AWS's default, on update it stays as it was.
 *
 * <p>Built by field name ({@link #builder()}): most fields are strings or integers, and positional arguments
 * could be swapped without a compiler noticing.
 */
public final class FunctionSettings {
    private final String runtime;
    private final String role;
    private final String handler;
    private final String description;
    private final Integer timeoutSeconds;
    private final Integer memoryMb;
    private final Integer ephemeralStorageMb;
    private final Map<String, String> environment;
    private final List<String> architectures;
    private final List<String> layers;
    private final Logging logging;
    private final String tracingMode;
    private final String snapStartApplyOn;
    private final String packageType;
    private final String deadLetterTarget;

    private FunctionSettings(Builder b) {
        this.runtime = b.runtime;
        this.role = b.role;
        this.handler = b.handler;
        this.description = b.description;
        this.timeoutSeconds = b.timeoutSeconds;
        this.memoryMb = b.memoryMb;
        this.ephemeralStorageMb = b.ephemeralStorageMb;
        this.environment = b.environment;
        this.architectures = b.architectures;
        this.layers = b.layers;
        this.logging = b.logging;
        this.tracingMode = b.tracingMode;
        this.snapStartApplyOn = b.snapStartApplyOn;
        this.packageType = b.packageType;
        this.deadLetterTarget = b.deadLetterTarget;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<String> runtime() {
        return Optional.ofNullable(runtime);
    }

    public Optional<String> role() {
        return Optional.ofNullable(role);
    }

    public Optional<String> handler() {
        return Optional.ofNullable(handler);
    }

    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    public Optional<Integer> timeoutSeconds() {
        return Optional.ofNullable(timeoutSeconds);
    }

    public Optional<Integer> memoryMb() {
        return Optional.ofNullable(memoryMb);
    }

    public Optional<Integer> ephemeralStorageMb() {
        return Optional.ofNullable(ephemeralStorageMb);
    }

    /** Environment.Variables; present (possibly empty) whenever the request had an Environment. */
    public Optional<Map<String, String>> environment() {
        return Optional.ofNullable(environment);
    }

    public Optional<List<String>> architectures() {
        return Optional.ofNullable(architectures);
    }

    public Optional<List<String>> layers() {
        return Optional.ofNullable(layers);
    }

    public Optional<Logging> logging() {
        return Optional.ofNullable(logging);
    }

    /** SnapStart's ApplyOn, when the request sets SnapStart. */
    public Optional<String> snapStartApplyOn() {
        return Optional.ofNullable(snapStartApplyOn);
    }

    public Optional<String> tracingMode() {
        return Optional.ofNullable(tracingMode);
    }

    public Optional<String> packageType() {
        return Optional.ofNullable(packageType);
    }

    /** DeadLetterConfig.TargetArn as sent: an empty string removes the target. */
    public Optional<String> deadLetterTarget() {
        return Optional.ofNullable(deadLetterTarget);
    }

    /** LoggingConfig fields as sent; empty where absent. */
    public record Logging(Optional<String> logFormat, Optional<String> applicationLogLevel,
            Optional<String> systemLogLevel, Optional<String> logGroup) {}

    /** Collects the fields a request sent; a setter given null leaves its field unsent. */
    public static final class Builder {
        private String runtime;
        private String role;
        private String handler;
        private String description;
        private Integer timeoutSeconds;
        private Integer memoryMb;
        private Integer ephemeralStorageMb;
        private Map<String, String> environment;
        private List<String> architectures;
        private List<String> layers;
        private Logging logging;
        private String tracingMode;
        private String snapStartApplyOn;
        private String packageType;
        private String deadLetterTarget;

        private Builder() {}

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
            this.description = description;
            return this;
        }

        public Builder timeoutSeconds(Integer timeoutSeconds) {
            this.timeoutSeconds = timeoutSeconds;
            return this;
        }

        public Builder memoryMb(Integer memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        public Builder ephemeralStorageMb(Integer ephemeralStorageMb) {
            this.ephemeralStorageMb = ephemeralStorageMb;
            return this;
        }

        public Builder environment(Map<String, String> environment) {
            this.environment = environment;
            return this;
        }

        public Builder architectures(List<String> architectures) {
            this.architectures = architectures;
            return this;
        }

        public Builder layers(List<String> layers) {
            this.layers = layers;
            return this;
        }

        public Builder logging(Logging logging) {
            this.logging = logging;
            return this;
        }

        public Builder snapStartApplyOn(String applyOn) {
            this.snapStartApplyOn = applyOn;
            return this;
        }

        public Builder tracingMode(String tracingMode) {
            this.tracingMode = tracingMode;
            return this;
        }

        public Builder packageType(String packageType) {
            this.packageType = packageType;
            return this;
        }

        public Builder deadLetterTarget(String deadLetterTarget) {
            this.deadLetterTarget = deadLetterTarget;
            return this;
        }

        public FunctionSettings build() {
            return new FunctionSettings(this);
        }
    }
}
