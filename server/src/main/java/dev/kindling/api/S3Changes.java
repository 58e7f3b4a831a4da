package dev.kindling.api;

import dev.kindling.triggers.BucketNotifications;
import dev.kindling.triggers.ObjectChange;
import dev.kindling.triggers.S3ObjectFacts;
import dev.kindling.triggers.S3Requester;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the bucket notifications what an S3 request changed, judged from the request and s3proxy's answer (s3proxy
 * itself reports nothing): a PUT of an object (ObjectCreated:Put, or :Copy with x-amz-copy-source), a completed
 * multipart upload (:CompleteMultipartUpload), a DELETE of an object or each key a DeleteObjects removed
 * (ObjectRemoved:Delete), and a deleted bucket (its configuration goes with it).
 */
final class S3Changes {
    private static final Logger LOG = LoggerFactory.getLogger(S3Changes.class);
    private static final Pattern DELETED_KEY = Pattern.compile("<Deleted>\\s*<Key>([^<]*)</Key>");

    private final BucketNotifications notifications;
    private final S3Forwarder forwarder;

    S3Changes(BucketNotifications notifications, S3Forwarder forwarder) {
        this.notifications = notifications;
        this.forwarder = forwarder;
    }

    /** Whether the answer's body says what changed (small XML kept while it is sent on). */
    static boolean needsBody(ApiRequest api, S3Address address) {
        return api.method().equals("POST");
    }

    void observe(ApiRequest api, S3Address address, int status, HttpHeaders headers, byte[] body,
            S3Requester requester) throws InterruptedException {
        if (address.bucket().isEmpty() || status / 100 != 2) {
            return;
        }
        String bucket = address.bucket().get();
        String operation = S3Operations.of(api, address);
        if (operation.equals("DeleteBucket")) {
            notifications.bucketDeleted(bucket);
            return;
        }
        if (!notifications.watches(bucket)) {
            return;
        }
        if (operation.equals("DeleteObjects")) {
            for (String key : deletedKeys(body)) {
                report(new ObjectChange(bucket, key, ObjectChange.REMOVED_DELETE, Optional.empty(), Instant.now()),
                        requester);
            }
            return;
        }
        Optional<String> event = switch (operation) {
            case "PutObject" -> address.key().isPresent() ? Optional.of(ObjectChange.CREATED_PUT) : Optional.empty();
            case "CopyObject" -> Optional.of(ObjectChange.CREATED_COPY);
            // S3 may answer 200 with an error document to a CompleteMultipartUpload that failed late
            case "CompleteMultipartUpload" -> new String(body, StandardCharsets.UTF_8).contains("<Error>")
                    ? Optional.empty() : Optional.of(ObjectChange.CREATED_MULTIPART);
            case "DeleteObject" -> Optional.of(ObjectChange.REMOVED_DELETE);
            default -> Optional.empty(); // reads, parts, tagging, ACLs: nothing S3 notifies of
        };
        if (event.isPresent()) {
            Optional<String> version = headers.firstValue("x-amz-version-id").filter(v -> !v.equals("null"));
            report(new ObjectChange(bucket, address.key().get(), event.get(), version, Instant.now()), requester);
        }
    }

    private void report(ObjectChange change, S3Requester requester) throws InterruptedException {
        notifications.changed(change, requester, () -> facts(change.bucket(), change.key()));
    }

    private Optional<S3ObjectFacts> facts(String bucket, String key) {
        try {
            HttpResponse<Void> head = forwarder.head(bucket, key);
            if (head.statusCode() != 200) {
                return Optional.empty();
            }
            long size = head.headers().firstValueAsLong("Content-Length").orElse(0);
            String eTag = head.headers().firstValue("ETag").orElse("").replace("\"", "");
            return Optional.of(new S3ObjectFacts(size, eTag));
        } catch (java.io.IOException e) {
            LOG.warn("could not read s3://{}/{} for its event: {}", bucket, key, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static List<String> deletedKeys(byte[] body) {
        List<String> keys = new ArrayList<>();
        Matcher m = DELETED_KEY.matcher(new String(body, StandardCharsets.UTF_8));
        while (m.find()) {
            keys.add(unescape(m.group(1)));
        }
        return keys;
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
