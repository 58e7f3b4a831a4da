package dev.kindling.sandbox;

import dev.kindling.code.CodeStore;
import dev.kindling.code.MergedLayers;
import dev.kindling.control.FunctionChangeListener;
import dev.kindling.iam.Identities;
import dev.kindling.iam.Identity;
import dev.kindling.pool.Initialization;
import dev.kindling.runtimes.JavaCacheMode;
import dev.kindling.runtimes.JavaSnapshots;
import dev.kindling.runtimes.Jdks;
import dev.kindling.runtimes.RuntimeCatalog;
import dev.kindling.store.FunctionRecord;
import dev.kindling.store.LayerReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Kindling's SnapStart for Java functions. A version with SnapStart ApplyOn PublishedVersions (and $LATEST too when
 * the operator says so) gets an ahead-of-time cache trained in the background: a box like the function's own runs
 * its init phase once (loading and building the handler) and the JVM writes the cache of what that loaded. Every
 * later cold start of that code uses it. Training happens once per {@link JavaSnapshots#key}, one at a time (it
 * takes seconds of CPU); a cold start before it is done, or after it failed, is a normal start. A failed training is
 * not retried for the same key: its output is in the server's log.
 */
public final class SnapStart implements FunctionChangeListener, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SnapStart.class);
    /** The JDK assembles the cache in a second JVM: training gets at least this much memory. */
    private static final int TRAINING_MEMORY_MB = 1024;
    private static final long TRAINING_TIMEOUT_SECONDS = 180;

    /** A cache to start from: its directory (the environment's runtime directory) and its key. */
    public record Cache(Path dir, String key) {}

    /**
     * How a cold start goes: from a cache, or without one.
     *
     * @param note for the function's log: why a cache there was is not used
     */
    public record Start(Optional<Cache> cache, Optional<String> note) {
        static final Start PLAIN = new Start(Optional.empty(), Optional.empty());
    }

    private final Sandbox sandbox;
    private final CodeStore code;
    private final MergedLayers layers;
    private final RuntimeCatalog runtimes;
    private final JavaSnapshots snapshots;
    private final Identities identities;
    private final String region;
    private final String endpoint;
    private final boolean forLatest;
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Semaphore oneAtATime = new Semaphore(1);
    /** The training running now, killed whole when the server stops; guarded by this. */
    private Box training;
    private Process trainingProcess;
    private boolean closed;

    /** @param forLatest whether $LATEST is covered too (a Kindling setting; AWS covers published versions only) */
    public SnapStart(Sandbox sandbox, CodeStore code, MergedLayers layers, RuntimeCatalog runtimes,
            JavaSnapshots snapshots, Identities identities, String region, String endpoint, boolean forLatest) {
        this.sandbox = sandbox;
        this.code = code;
        this.layers = layers;
        this.runtimes = runtimes;
        this.snapshots = snapshots;
        this.identities = identities;
        this.region = region;
        this.endpoint = endpoint;
        this.forLatest = forLatest;
    }

    /** Whether SnapStart covers this version: a Java function, ApplyOn PublishedVersions, published (or the setting). */
    public boolean covers(FunctionRecord f) {
        return runtimes.jdk(f.runtime()).isPresent() && f.snapStartApplyOn().equals("PublishedVersions")
                && (forLatest || !f.version().equals("$LATEST"));
    }

    /**
     * The cache a cold start of {@code f} can use now; when there is none, its training starts in the background
     * (once per key) and this start goes without.
     */
    public Start startFor(FunctionRecord f) {
        if (!covers(f)) {
            return Start.PLAIN;
        }
        Jdks.Jdk jdk = runtimes.jdk(f.runtime()).orElseThrow();
        String key = snapshots.key(subject(f, jdk));
        JavaSnapshots.Lookup found = snapshots.lookup(key, jdk);
        if (found.dir().isPresent()) {
            return new Start(Optional.of(new Cache(found.dir().get(), key)), Optional.empty());
        }
        train(f, key);
        return new Start(Optional.empty(), found.problem().map(problem -> "Kindling SnapStart: " + problem
                + "; this environment starts without it, and a new cache is being trained"));
    }

    /** A version with SnapStart came to be: its cache is trained now, in the background, as AWS does at publish. */
    @Override
    public void versionReady(FunctionRecord f) {
        if (covers(f)) {
            Thread.ofVirtual().name("snapstart-key").start(() -> {
                try {
                    Jdks.Jdk jdk = runtimes.jdk(f.runtime()).orElseThrow();
                    String key = snapshots.key(subject(f, jdk));
                    if (!snapshots.exists(key)) {
                        train(f, key);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("SnapStart: could not start the training of {}:{}: {}", f.name(), f.version(),
                            e.toString());
                }
            });
        }
    }

    @Override
    public void versionRetired(String functionName, String version) {
        // its cache stays: the same code and configuration published again find it
    }

    @Override
    public void functionDeleted(String functionName) {
        // caches are keyed by content, not by function: another function with the same code may use it
    }

    /** A cache that broke an environment's start (the JVM crashed on it): dropped, and trained again later. */
    public void broken(Cache cache) {
        LOG.warn("SnapStart: an environment crashed starting from {}: the cache is dropped", cache.dir());
        snapshots.discard(cache.key());
        started.remove(cache.key());
    }

    private void train(FunctionRecord f, String key) {
        if (started.add(key)) {
            Thread.ofVirtual().name("snapstart-" + f.name()).start(() -> trainNow(f, key));
        }
    }

    private JavaSnapshots.Subject subject(FunctionRecord f, Jdks.Jdk jdk) {
        return new JavaSnapshots.Subject(f.runtime(), jdk, f.handler(), f.memoryMb(), f.codeSha256Hex(),
                f.layers().stream().map(LayerReference::codeSha256Hex).toList(), f.environment());
    }

    private void trainNow(FunctionRecord f, String key) {
        long began = System.nanoTime();
        try {
            oneAtATime.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Path dir = null;
        try {
            Jdks.Jdk jdk = runtimes.jdk(f.runtime()).orElseThrow();
            Path taskRoot = code.taskRoot(f.codeSha256Hex());
            dir = snapshots.prepare(key, taskRoot);
            String output = run(f, taskRoot, dir);
            boolean kept = snapshots.complete(key, dir, jdk);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            if (kept) {
                started.remove(key); // should the cache break later, it may be trained again
                LOG.info("SnapStart: cache of {}:{} ready in {} ms", f.name(), f.version(), millis);
            } else {
                LOG.warn("SnapStart: the training of {}:{} wrote no cache; it starts without one. Its output:\n{}",
                        f.name(), f.version(), output);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("SnapStart: the training of {}:{} failed: {}", f.name(), f.version(), e.toString());
            if (dir != null) {
                snapshots.abandon(dir);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            oneAtATime.release();
        }
    }

    /** Runs the init phase in a box whose runtime directory is {@code dir}; returns its output. */
    private String run(FunctionRecord f, Path taskRoot, Path dir) throws IOException, InterruptedException {
        Optional<Path> opt = f.layers().isEmpty() ? Optional.empty()
                : Optional.of(layers.merged(f.layers().stream().map(LayerReference::codeSha256Hex).toList()));
        String id = "snapstart-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Box box = sandbox.box(id, taskRoot, opt, dir, Math.max(f.memoryMb(), TRAINING_MEMORY_MB),
                f.ephemeralStorageMb(), true);
        Box.View view = box.view();
        RuntimeCatalog.Paths paths = new RuntimeCatalog.Paths(view.taskRoot(), view.runtimeDir(), view.opt(),
                taskRoot, opt);
        RuntimeCatalog.Launch launch = runtimes.launch(new RuntimeCatalog.Function(f.runtime(), f.memoryMb(),
                f.environment()), paths, JavaCacheMode.TRAIN);
        Identity credentials = identities.issueForFunction(f.role(), f.name());
        Process process = null;
        try {
            // The init phase never calls the Runtime API: the address is there because every environment has one.
            Map<String, String> variables = EnvironmentVariables.of(f, credentials, id, "127.0.0.1:9", view,
                    sandbox.host().boxed(), launch.environment(), region, endpoint, Initialization.ON_DEMAND);
            variables.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
            synchronized (this) {
                if (closed) {
                    throw new IOException("the server is stopping");
                }
                process = box.launch(launch.command(), variables);
                training = box;
                trainingProcess = process;
            }
            byte[] output = process.getInputStream().readAllBytes(); // ends when the JVM and its assembler exit
            if (!process.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("the training did not end within " + TRAINING_TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException("the training exited with " + process.exitValue() + ":\n" + text);
            }
            return text;
        } finally {
            boolean mine;
            synchronized (this) {
                mine = training == box || training == null && !closed;
                training = null;
                trainingProcess = null;
            }
            identities.revoke(credentials);
            if (mine) { // else close() destroyed it
                box.destroy(process); // its scratch files go; the runtime directory stays, for complete()
            }
        }
    }

    /** Kills the training running now, if any: it leaves nothing behind but a directory the next start deletes. */
    @Override
    public synchronized void close() {
        closed = true;
        if (training != null) {
            training.destroy(trainingProcess);
            training = null;
        }
    }
}
