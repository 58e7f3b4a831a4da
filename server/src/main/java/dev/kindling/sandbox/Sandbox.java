package dev.kindling.sandbox;

import dev.kindling.code.CodeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Makes the box each environment runs in, in the strongest form the host allows ({@link HostIsolation}): sealed by
 * bubblewrap with a user and cgroups of its own where it can, a plain process where it cannot.
 */
public final class Sandbox implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Sandbox.class);
    private final HostIsolation host;
    private final Path environmentsDir;
    private final boolean hardCpuQuota;
    private final UidRange uids = new UidRange();
    private final Optional<CgroupV1> cgroups;
    private final Optional<TmpVolumes> tmpVolumes;
    private final Optional<FastCgroupJoins> fastJoins;

    /**
     * @param environmentsDir where environments keep their scratch files; emptied now (a crash leaves some)
     * @param hardCpuQuota whether to cap each environment's CPU at its share even on an idle host
     */
    public Sandbox(HostIsolation host, Path environmentsDir, boolean hardCpuQuota) {
        this.host = host;
        this.environmentsDir = environmentsDir;
        this.hardCpuQuota = hardCpuQuota;
        this.cgroups = host.limited() ? CgroupV1.create(hardCpuQuota) : Optional.empty();
        this.fastJoins = cgroups.isPresent() ? FastCgroupJoins.mount() : Optional.empty();
        this.tmpVolumes = host.boxed() ? TmpVolumes.create(environmentsDir.resolveSibling("tmp-volumes"))
                : Optional.empty();
        deleteTree(environmentsDir);
        if (host.limited() && cgroups.isEmpty()) {
            LOG.warn("Sandbox: cgroups could not be created under /sys/fs/cgroup: environments run without memory,"
                    + " process and CPU limits");
        }
    }

    public HostIsolation host() {
        return host;
    }

    /**
     * A box for one environment.
     *
     * @param taskRoot the function version's unpacked code, on the host
     * @param opt the function's layers merged, on the host; empty when it has none
     * @param runtimeDir the runtime's own files (its bootstrap), on the host
     */
    Box box(String id, Path taskRoot, Optional<Path> opt, Path runtimeDir, int memoryMb, int tmpMb)
            throws IOException {
        return box(id, taskRoot, opt, runtimeDir, memoryMb, tmpMb, false);
    }

    /**
     * A box whose runtime directory the environment may write to when {@code writableRuntimeDir}: only for a SnapStart
     * training, whose JVM writes its cache there (a directory of that function's alone).
     */
    Box box(String id, Path taskRoot, Optional<Path> opt, Path runtimeDir, int memoryMb, int tmpMb,
            boolean writableRuntimeDir) throws IOException {
        Path scratch = Files.createDirectories(environmentsDir.resolve(id));
        if (!host.boxed()) {
            return new PlainBox(scratch, taskRoot, opt, runtimeDir);
        }
        ResourceLimits limits = new ResourceLimits(memoryMb, tmpMb, hardCpuQuota);
        Optional<EnvironmentCgroup> cgroup = Optional.empty();
        if (cgroups.isPresent()) {
            cgroup = Optional.of(cgroups.get().forEnvironment(id, limits));
        }
        Optional<TmpVolumes.Volume> tmp = Optional.empty();
        try {
            if (tmpVolumes.isPresent()) {
                tmp = Optional.of(tmpVolumes.get().take(tmpMb));
            }
        } catch (IOException | RuntimeException e) {
            cgroup.ifPresent(EnvironmentCgroup::destroy);
            throw e;
        }
        BubblewrapBox box = new BubblewrapBox(host, scratch, taskRoot, opt, runtimeDir, limits, uids, cgroup, tmp);
        return writableRuntimeDir ? box.withWritableRuntimeDir() : box;
    }

    @Override
    public void close() {
        cgroups.ifPresent(CgroupV1::close);
        fastJoins.ifPresent(FastCgroupJoins::close);
        tmpVolumes.ifPresent(TmpVolumes::close);
    }

    /** Deletes scratch files; what cannot be deleted is harmless and goes with the data directory. */
    static void deleteTree(Path dir) {
        try {
            CodeStore.deleteTree(dir);
        } catch (IOException | RuntimeException e) {
            // left behind, see above
        }
    }
}
