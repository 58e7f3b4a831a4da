package dev.kindling.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this host lets Kindling do to isolate environments: bubblewrap for namespaces and a private file system view,
 * root for a user id per environment, cgroups for memory, process and CPU limits. Kindling uses what there is and
 * says plainly what it cannot guarantee without the rest; this is the one place that decides the mode in force.
 */
public record HostIsolation(Optional<Path> bubblewrap, Optional<Path> setpriv, boolean root, CgroupSupport cgroups) {
    /** The cgroup hierarchy the host offers. */
    public enum CgroupSupport { V1, V2_UNSUPPORTED, NONE }

    private static final List<Path> BIN_DIRS = List.of(Path.of("/usr/bin"), Path.of("/bin"), Path.of("/usr/local/bin"));

    public static HostIsolation detect() {
        boolean root = "root".equals(System.getProperty("user.name"));
        CgroupSupport cgroups;
        if (Files.isDirectory(Path.of("/sys/fs/cgroup/memory")) && Files.isDirectory(Path.of("/sys/fs/cgroup/pids"))) {
            cgroups = CgroupSupport.V1;
        } else if (Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            cgroups = CgroupSupport.V2_UNSUPPORTED;
        } else {
            cgroups = CgroupSupport.NONE;
        }
        return new HostIsolation(find("bwrap"), find("setpriv"), root, cgroups);
    }

    /** Whether environments run sealed in bubblewrap, each as a user of its own. */
    public boolean boxed() {
        return bubblewrap.isPresent() && setpriv.isPresent() && root;
    }

    /** Whether environments get cgroup limits (only boxed ones: the launcher that joins them runs as root). */
    public boolean limited() {
        return boxed() && cgroups == CgroupSupport.V1;
    }

    /** One line naming the mode in force. */
    public String mode() {
        if (limited()) {
            return "sandboxed: bubblewrap namespaces, a user per environment, cgroup v1 limits";
        }
        return boxed() ? "sandboxed without resource limits: bubblewrap namespaces, a user per environment"
                : "plain processes: no isolation between functions and the host";
    }

    /** What Kindling cannot guarantee on this host and how to fix it; empty when every guarantee holds. */
    public List<String> missingGuarantees() {
        List<String> missing = new ArrayList<>();
        if (bubblewrap.isEmpty()) {
            missing.add("bubblewrap is not installed (apt-get install bubblewrap): functions run as plain processes"
                    + " that can read the host's files, the data directory included, and signal other processes");
        }
        if (!root) {
            missing.add("Kindling is not running as root: it cannot give each environment a user of its own, so"
                    + " functions run as plain processes under your user, can read what you can, and can reach"
                    + " each other's Runtime API");
        }
        if (setpriv.isEmpty()) {
            missing.add("setpriv (util-linux) is missing: environments cannot drop to a user of their own");
        }
        if (cgroups == CgroupSupport.V2_UNSUPPORTED) {
            missing.add("this host has cgroup v2 only, which Kindling does not drive yet: MemorySize is not"
                    + " enforced, processes and CPU are not capped, Max Memory Used is the runtime's own peak");
        } else if (cgroups == CgroupSupport.NONE) {
            missing.add("no cgroup hierarchy is mounted at /sys/fs/cgroup: MemorySize is not enforced, processes"
                    + " and CPU are not capped");
        }
        return missing;
    }

    private static Optional<Path> find(String executable) {
        return BIN_DIRS.stream().map(dir -> dir.resolve(executable)).filter(Files::isExecutable).findFirst();
    }
}
