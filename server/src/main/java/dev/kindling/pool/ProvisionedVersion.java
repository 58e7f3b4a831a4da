package dev.kindling.pool;

import dev.kindling.control.ProvisionedEnvironments;
import dev.kindling.control.ProvisionedEnvironments.ProvisionedStatus;
import dev.kindling.store.FunctionRecord;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The provisioned environments of one function version, as {@link EnvironmentPool} keeps them under its lock: how
 * many are wanted, how many are initialising, which are initialised (idle or serving), and whether an init failed.
 * Provisioned environments are never reaped for idleness; one that dies is replaced while the target stands.
 */
final class ProvisionedVersion {
    final FunctionRecord version;
    int target;
    /** Launched and still in init. */
    int starting;
    /** Initialised: idle or serving an invocation. */
    final Set<Environment> members = new HashSet<>();
    /** The idle members, most recently used first. */
    final Deque<Environment> idle = new ArrayDeque<>();
    /** An init failed: no more are started until the configuration is put again. */
    boolean failed;

    ProvisionedVersion(FunctionRecord version, int target) {
        this.version = version;
        this.target = target;
    }

    /** How many more environments to launch now. */
    int missing() {
        return failed ? 0 : Math.max(0, target - members.size() - starting);
    }

    /** Whether an initialised member is beyond the target (it was lowered) and should go. */
    boolean surplus() {
        return members.size() > target;
    }

    ProvisionedStatus status() {
        ProvisionedEnvironments.Status status = failed ? ProvisionedEnvironments.Status.FAILED
                : members.size() >= target ? ProvisionedEnvironments.Status.READY
                : ProvisionedEnvironments.Status.IN_PROGRESS;
        return new ProvisionedStatus(members.size(), status,
                failed ? Optional.of(ProvisionedEnvironments.INIT_FAILURE) : Optional.empty());
    }
}
