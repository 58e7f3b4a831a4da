package dev.kindling.store;

import java.util.List;
import java.util.Optional;

/**
 * A function URL's Cors member, as configured: an absent member was not sent (AWS shows only what was set). Build
 * one with {@link #builder()}: its four lists have names, not positions.
 */
public final class CorsSettings {
    private final Optional<Boolean> allowCredentials;
    private final Optional<List<String>> allowHeaders;
    private final Optional<List<String>> allowMethods;
    private final Optional<List<String>> allowOrigins;
    private final Optional<List<String>> exposeHeaders;
    private final Optional<Integer> maxAge;

    private CorsSettings(Builder b) {
        this.allowCredentials = b.allowCredentials;
        this.allowHeaders = b.allowHeaders.map(List::copyOf);
        this.allowMethods = b.allowMethods.map(List::copyOf);
        this.allowOrigins = b.allowOrigins.map(List::copyOf);
        this.exposeHeaders = b.exposeHeaders.map(List::copyOf);
        this.maxAge = b.maxAge;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<Boolean> allowCredentials() {
        return allowCredentials;
    }

    public Optional<List<String>> allowHeaders() {
        return allowHeaders;
    }

    public Optional<List<String>> allowMethods() {
        return allowMethods;
    }

    public Optional<List<String>> allowOrigins() {
        return allowOrigins;
    }

    public Optional<List<String>> exposeHeaders() {
        return exposeHeaders;
    }

    /** Seconds a browser may cache a preflight's answer. */
    public Optional<Integer> maxAge() {
        return maxAge;
    }

    /** The allowed origins, none when not configured. */
    public List<String> origins() {
        return allowOrigins.orElse(List.of());
    }

    public static final class Builder {
        private Optional<Boolean> allowCredentials = Optional.empty();
        private Optional<List<String>> allowHeaders = Optional.empty();
        private Optional<List<String>> allowMethods = Optional.empty();
        private Optional<List<String>> allowOrigins = Optional.empty();
        private Optional<List<String>> exposeHeaders = Optional.empty();
        private Optional<Integer> maxAge = Optional.empty();

        public Builder allowCredentials(Optional<Boolean> value) {
            allowCredentials = value;
            return this;
        }

        public Builder allowHeaders(Optional<List<String>> value) {
            allowHeaders = value;
            return this;
        }

        public Builder allowMethods(Optional<List<String>> value) {
            allowMethods = value;
            return this;
        }

        public Builder allowOrigins(Optional<List<String>> value) {
            allowOrigins = value;
            return this;
        }

        public Builder exposeHeaders(Optional<List<String>> value) {
            exposeHeaders = value;
            return this;
        }

        public Builder maxAge(Optional<Integer> value) {
            maxAge = value;
            return this;
        }

        public CorsSettings build() {
            return new CorsSettings(this);
        }
    }
}
