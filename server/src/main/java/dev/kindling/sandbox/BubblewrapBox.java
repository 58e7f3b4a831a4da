package dev.kindling.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * An environment sealed by bubblewrap, as on Lambda: its own mount, PID, IPC and UTS namespaces; the host's system
 * directories read-only; its code at /var/task and its runtime at /var/runtime, read-only; its layers merged at /opt (empty
 * without layers), read-only;
 * a private /tmp of its EphemeralStorage size (a disk-backed volume of its own, or a tmpfs where volumes cannot be
 * made); nothing else of the host (no data directory, no home directories, no
 * other environment's files or processes). It runs as a user id no other environment has, under its cgroups.
 *
 * <p>The process chain: a root shell joins the environment's cgroups (cpu only while {@link CpuWeights} weighs
 * environments) and caps open files, then execs bubblewrap,
 * which builds the view and runs {@code setpriv} to drop to the environment's user and every capability, then
 * {@code env} sets the function's variables and starts the runtime. The shell costs about a millisecond; bubblewrap 3-7 ms (docs/performance.md).
 */
final class BubblewrapBox implements Box {
    private static final View VIEW = new View(Path.of("/var/task"), Path.of("/var/runtime"), Path.of("/tmp"),
            Path.of("/opt"));
    /** Joins the cgroups named by the first n arguments, caps open files, then runs the rest. */
    private static final String JOIN_AND_EXEC = "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo $$ > \"$1\" || exit 125;"
            + " shift; n=$((n-1)); done; ulimit -n " + ResourceLimits.MAX_OPEN_FILES + " || exit 125; exec \"$@\"";
    /**
     * /bin, /sbin, /lib* as the host has them (symlinks into /usr here, directories elsewhere), as bubblewrap
     * options: read once, not at every cold start.
     */
    private static final List<String> ROOT_LINKS = rootLinks(List.of("bin", "sbin", "lib", "lib32", "lib64",
            "libx32"));

    private final HostIsolation host;
    private final Path scratch;
    private final Path taskRoot;
    private final Optional<Path> opt;
    private final Path runtimeDir;
    private final ResourceLimits limits;
    private final UidRange uids;
    private final int uid;
    private final Optional<EnvironmentCgroup> cgroup;
    private final Optional<TmpVolumes.Volume> tmp;
    private boolean writableRuntimeDir;

    /** @param tmp a disk-backed volume for /tmp; without one, /tmp is a tmpfs counted against the memory limit */
    BubblewrapBox(HostIsolation host, Path scratch, Path taskRoot, Optional<Path> opt, Path runtimeDir,
            ResourceLimits limits, UidRange uids, Optional<EnvironmentCgroup> cgroup, Optional<TmpVolumes.Volume> tmp) {
        this.tmp = tmp;
        this.host = host;
        this.scratch = scratch;
        this.taskRoot = taskRoot;
        this.opt = opt;
        this.runtimeDir = runtimeDir;
        this.limits = limits;
        this.uids = uids;
        this.uid = uids.take();
        this.cgroup = cgroup;
    }

    /** Binds the runtime directory writable (a SnapStart training writes its cache there); before {@link #launch}. */
    BubblewrapBox withWritableRuntimeDir() {
        writableRuntimeDir = true;
        return this;
    }

    @Override
    public View view() {
        return VIEW;
    }

    @Override
    public OptionalInt uid() {
        return OptionalInt.of(uid);
    }

    @Override
    public Process launch(List<String> command, Map<String, String> environment) throws IOException {
        // The runtime's user has a name, as on Lambda, so tools that look it up (getpwuid, os.userInfo) work.
        Path passwd = Files.writeString(scratch.resolve("passwd"),
                "root:x:0:0:root:/root:/sbin/nologin\nsbx_user1051:x:" + uid + ":" + uid + "::/tmp:/sbin/nologin\n");
        Path group = Files.writeString(scratch.resolve("group"), "root:x:0:\nsbx_user1051:x:" + uid + ":\n");
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", JOIN_AND_EXEC, "kindling-box"));
        List<Path> procs = cgroup.map(EnvironmentCgroup::filesToJoinAtLaunch).orElse(List.of());
        argv.add(Integer.toString(procs.size()));
        procs.forEach(file -> argv.add(file.toString()));
        argv.addAll(bubblewrap(passwd, group));
        argv.addAll(List.of(host.setpriv().orElseThrow().toString(), "--reuid=" + uid, "--regid=" + uid,
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"));
        // The function's variables reach the runtime only after the drop to its user: set for the root stages, its
        // LD_PRELOAD or LD_LIBRARY_PATH would run its code as root.
        argv.addAll(List.of("/usr/bin/env", "-i"));
        environment.forEach((name, value) -> argv.add(name + "=" + value));
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(scratch.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        return builder.start();
    }

    private List<String> bubblewrap(Path passwd, Path group) {
        List<String> args = new ArrayList<>(List.of(host.bubblewrap().orElseThrow().toString(),
                "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "localhost",
                "--die-with-parent", "--new-session",
                "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
                "--ro-bind", passwd.toString(), "/etc/passwd", "--ro-bind", group.toString(), "/etc/group"));
        args.addAll(ROOT_LINKS);
        args.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
        if (tmp.isPresent()) {
            args.addAll(List.of("--bind", tmp.get().mountPoint().toString(), "/tmp"));
        } else {
            args.addAll(List.of("--size", Long.toString((long) limits.tmpMb() << 20), "--perms", "1777", "--tmpfs",
                    "/tmp"));
        }
        // Directories bubblewrap creates take the server's umask: say they are readable by the runtime's user.
        args.addAll(opt.isPresent() ? List.of("--ro-bind", opt.get().toString(), VIEW.opt().toString())
                : List.of("--perms", "0755", "--dir", VIEW.opt().toString()));
        args.addAll(List.of(
                "--perms", "0755", "--dir", "/var",
                "--ro-bind", taskRoot.toString(), VIEW.taskRoot().toString(),
                writableRuntimeDir ? "--bind" : "--ro-bind", runtimeDir.toString(), VIEW.runtimeDir().toString(),
                // Where ES modules of /var/task look after their own node_modules: the bundled AWS SDK for Node.js.
                "--symlink", VIEW.runtimeDir().resolve("node_modules").toString(), "/var/node_modules",
                "--chdir", VIEW.taskRoot().toString(), "--"));
        return args;
    }

    private static List<String> rootLinks(List<String> names) {
        List<String> args = new ArrayList<>();
        for (String name : names) {
            Path path = Path.of("/", name);
            if (Files.isSymbolicLink(path)) {
                args.addAll(List.of("--symlink", readLink(path), path.toString()));
            } else if (Files.isDirectory(path)) {
                args.addAll(List.of("--ro-bind", path.toString(), path.toString()));
            }
        }
        return List.copyOf(args);
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + link, e);
        }
    }

    @Override
    public long peakMemoryMegabytes(Process process) {
        return cgroup.map(g -> (g.peakMemoryBytes() + (1 << 20) - 1) >> 20)
                .orElseGet(() -> PlainBox.peakOfTree(process));
    }

    @Override
    public boolean outOfMemory() {
        return cgroup.map(EnvironmentCgroup::oomKilled).orElse(false);
    }

    /**
     * Kills the PID namespace's first process (bubblewrap's reaper inside the box): the kernel then kills everything
     * in the namespace and the reaper collects it, so nothing is left as a zombie on the host. The cgroups then
     * catch anything that escaped the namespace, and are removed.
     */
    @Override
    public void destroy(Process process) {
        try {
            if (process != null) {
                process.toHandle().children().forEach(ProcessHandle::destroyForcibly);
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            cgroup.ifPresent(EnvironmentCgroup::destroy);
            tmp.ifPresent(TmpVolumes.Volume::release);
            uids.release(uid);
            Sandbox.deleteTree(scratch);
        }
    }
}
