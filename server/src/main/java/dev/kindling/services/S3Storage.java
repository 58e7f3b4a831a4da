package dev.kindling.services;

import java.io.IOException;
import java.io.InputStream;
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

    private final S3Proxy proxy;
    private final BlobStore store;
    private final URI internalEndpoint;

    private S3Storage(S3Proxy proxy, BlobStore store, URI internalEndpoint) {
        this.proxy = proxy;
        this.store = store;
        this.internalEndpoint = internalEndpoint;
    }

    /**
     * Starts s3proxy in the background (about half a second to a second at a server's start, mostly class loading),
     * while the rest of the server starts; {@link Starting#get} waits for it.
     */
    public static Starting startInBackground(Path storage) {
        java.util.concurrent.FutureTask<S3Storage> task = new java.util.concurrent.FutureTask<>(() -> start(storage));
        Thread.ofVirtual().name("s3-start").start(task);
        return new Starting(task);
    }

    /** S3 on its way up: {@link #get} it once needed; closing it stops it, started or not. */
    public static final class Starting implements AutoCloseable {
        private final java.util.concurrent.FutureTask<S3Storage> task;

        private Starting(java.util.concurrent.FutureTask<S3Storage> task) {
            this.task = task;
        }

        /** The started S3, waiting for it; throws what stopped it from starting. */
        public S3Storage get() throws Exception {
            try {
                return task.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }

        @Override
        public void close() throws Exception {
            try {
                task.get().close();
            } catch (java.util.concurrent.ExecutionException e) {
                // it never started: nothing to stop
            }
        }
    }

    /** Starts s3proxy on a file-system store in {@code storage} and returns once it serves requests. */
    public static S3Storage start(Path storage) throws Exception {
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
        proxy.start();
        S3Storage s3 = new S3Storage(proxy, store, endpoint);
        try {
            s3.awaitStarted();
        } catch (Exception e) {
            s3.close();
            throw e;
        }
        LOG.info("S3 (s3proxy) ready in {} ms", (System.nanoTime() - started) / 1_000_000);
        return s3;
    }

    /** Where Kindling itself reaches s3proxy: loopback only, no signature checked. */
    public URI internalEndpoint() {
        return internalEndpoint;
    }

    /** Whether the bucket exists. */
    public boolean bucketExists(String bucket) {
        try {
            store.headBucket(HeadBucketRequest.builder().bucket(bucket).build());
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
            ResponseInputStream<GetObjectResponse> object = store.getBlob(request.build());
            return Optional.ofNullable(object);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void awaitStarted() throws Exception {
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
    public void close() throws Exception {
        proxy.stop();
    }
}
