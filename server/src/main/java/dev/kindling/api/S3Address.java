package dev.kindling.api;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which bucket and key an S3 request names, in either addressing style: virtual-host
 * ({@code http://<bucket>.s3.localhost:<port>/<key>}, or {@code <bucket>.s3.<region>.localhost}) or path
 * ({@code http://<host>:<port>/<bucket>/<key>}, what the CLIs use for an endpoint given as an address). s3proxy is
 * always addressed path-style.
 *
 * @param rawKey the key as sent, still percent-encoded (empty for a bucket or the service itself)
 */
record S3Address(Optional<String> bucket, Optional<String> key, String rawBucket, String rawKey) {
    private static final Pattern VIRTUAL_HOST =
            Pattern.compile("(?<bucket>[a-z0-9][a-z0-9.-]*)\\.s3(\\.[a-z0-9-]+)?\\.localhost(:\\d+)?");
    private static final Pattern S3_HOST = Pattern.compile("s3(\\.[a-z0-9-]+)?\\.localhost(:\\d+)?");

    /** Whether the Host header names S3 (either style), so that even an unsigned request is S3's. */
    static boolean isS3Host(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return VIRTUAL_HOST.matcher(h).matches() || S3_HOST.matcher(h).matches();
    }

    static S3Address of(String host, String rawPath) {
        Matcher virtual = VIRTUAL_HOST.matcher(host.toLowerCase(Locale.ROOT));
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (virtual.matches() && !S3_HOST.matcher(host.toLowerCase(Locale.ROOT)).matches()) {
            String bucket = virtual.group("bucket");
            return new S3Address(Optional.of(bucket), path.isEmpty() ? Optional.empty()
                    : Optional.of(ApiRequest.decode(path)), bucket, path);
        }
        int slash = path.indexOf('/');
        String rawBucket = slash < 0 ? path : path.substring(0, slash);
        String rawKey = slash < 0 ? "" : path.substring(slash + 1);
        return new S3Address(rawBucket.isEmpty() ? Optional.empty() : Optional.of(ApiRequest.decode(rawBucket)),
                rawKey.isEmpty() ? Optional.empty() : Optional.of(ApiRequest.decode(rawKey)), rawBucket, rawKey);
    }

    /** The path-style path s3proxy is sent: {@code /<bucket>/<key>}, encoded as the client encoded it. */
    String pathStyle() {
        if (rawBucket.isEmpty()) {
            return "/";
        }
        return "/" + rawBucket + (rawKey.isEmpty() ? "" : "/" + rawKey);
    }
}
