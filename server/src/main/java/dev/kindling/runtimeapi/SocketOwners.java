package dev.kindling.runtimeapi;

import java.util.OptionalInt;

/**
 * Who opened a TCP connection to this host's loopback: the owner (uid) of the client's socket. Environments run as
 * users of their own, so the owner of a connection to an environment's Runtime API port tells whether that
 * environment (or anyone else) is speaking. Asked once per connection, when it opens.
 */
interface SocketOwners {
    /**
     * The uid owning the loopback socket bound to local port {@code clientPort} and connected to port
     * {@code serverPort} (IPv4, or IPv6 with IPv4-mapped addresses, as a dual-stack client has), or empty if there is
     * none (the connection is already gone).
     */
    OptionalInt ownerOf(int clientPort, int serverPort);

    /** Whether a lookup costs microseconds rather than milliseconds: cheap enough to ask on every dispatch. */
    default boolean cheap() {
        return false;
    }

    /**
     * The fastest way this JDK offers: one Netlink sock_diag request (microseconds) where the foreign function API
     * exists (JDK 22 and later, built in by the java22 profile), else /proc/net/tcp (milliseconds).
     */
    static SocketOwners best() {
        if (Runtime.version().feature() >= 22) {
            try {
                SocketOwners netlink = (SocketOwners) Class.forName("dev.kindling.runtimeapi.NetlinkSockDiag")
                        .getDeclaredConstructor().newInstance();
                netlink.ownerOf(0, 0); // proves the native calls work here before relying on them
                return netlink;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // not built in (a JDK 21 build) or not permitted: the portable way below
            }
        }
        return new ProcNetTcp();
    }
}
