package dev.kindling.services;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3, served by s3proxy running inside Kindling's process on a loopback-only port that only Kindling calls: clients
 * reach it through Kindling's one endpoint, which checks their signature first and forwards the request
 * (api/S3Api). Buckets and objects are plain files under {@code <data dir>/s3} (s3proxy's file-system store), so
 * they survive a restart. Kindling itself reads objects (function code) straight from the store.
 */
public final class S3Storage implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(S3Storage.class);
    /** S3's largest single PUT; larger objects take a multipart upload. */
    private static final long MAX_SINGLE_PART_BYTES = 5L * 1024 * 1024 * 1024;

    private final Path storage;
    private volatile Running running; // once started
    private boolean closed; // guarded by this

    /** s3proxy serving requests: its store, and where Kindling reaches it. */
    private record Running(S3Proxy proxy, BlobStore store, URI endpoint) {
    }

    private S3Storage(Path storage) {
        this.storage = storage;
    }

    /**
     * S3 on a file-system store in {@code storage}, started by its first use: s3proxy takes half a second to a second
     * and some 20 MB of classes to start, which a server that never serves S3 need not pay, at its start or idle.
     */
    public static S3Storage onDemand(Path storage) {
        return new S3Storage(storage);
    }

    /** s3proxy, started now if this is the first use; it keeps serving until {@link #close}. */
    private Running running() {
        Running started = running;
        if (started != null) {
            return started;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("S3 is stopped: the server is shutting down");
            }
            if (running == null) {
                try {
                    running = start(storage);
                } catch (IOException e) {
                    throw new UncheckedIOException("S3 (s3proxy) did not start: " + e.getMessage(), e);
                }
            }
            return running;
        }
    }

    /** Starts s3proxy on a file-system store in {@code storage} and returns once it serves requests. */
    private static Running start(Path storage) throws IOException {
        Files.createDirectories(storage);
        long started = System.nanoTime();
        BlobStore store = new FilesystemNio2BlobStore(storage.toAbsolutePath().toString());
        URI endpoint = URI.create("http://127.0.0.1:" + freeLoopbackPort());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(endpoint)
                // Kindling verifies every signature (function session tokens included) before forwarding.
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .maxSinglePartObjectSize(MAX_SINGLE_PART_BYTES)
                .ignoreUnknownHeaders(true)
                .build();
        try {
            proxy.start();
            awaitStarted(proxy);
        } catch (Exception e) {
            stop(proxy);
            throw e instanceof IOException io ? io : new IOException(e);
        }
        LOG.info("S3 (s3proxy) started on first use in {} ms", (System.nanoTime() - started) / 1_000_000);
        return new Running(proxy, store, endpoint);
    }

    /** Where Kindling itself reaches s3proxy (loopback only, no signature checked), starting it on first use. */
    public URI internalEndpoint() {
        return running().endpoint();
    }

    /** Whether the bucket exists. */
    public boolean bucketExists(String bucket) {
        try {
            running().store().headBucket(HeadBucketRequest.builder().bucket(bucket).build());
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * The object's content, or empty when the bucket or key (or the version asked for) does not exist; the caller
     * closes the stream.
     */
    public Optional<InputStream> read(String bucket, String key, Optional<String> versionId) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
        versionId.ifPresent(request::versionId);
        try {
            ResponseInputStream<GetObjectResponse> object = running().store().getBlob(request.build());
            return Optional.ofNullable(object);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static void awaitStarted(S3Proxy proxy) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IOException("s3proxy did not start within 30 s (state " + proxy.getState() + ")");
            }
            Thread.sleep(5);
        }
    }

    /** A port free now; s3proxy binds it a moment later. */
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (running != null) {
            stop(running.proxy());
        }
    }

    private static void stop(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            LOG.warn("s3proxy did not stop cleanly: {}", e.toString());
        }
    }
}
