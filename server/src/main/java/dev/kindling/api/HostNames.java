package dev.kindling.api;

/** Cheap tests on a request's Host header, asked of every request before any regular expression. */
final class HostNames {
    private HostNames() {}

    /** Whether {@code host} contains {@code marker} (such as {@code .lambda-url.}), in any case. */
    static boolean mentions(String host, String marker) {
        for (int i = 0; i + marker.length() <= host.length(); i++) {
            if (host.regionMatches(true, i, marker, 0, marker.length())) {
                return true;
            }
        }
        return false;
    }
}
