package dev.kindling.runtimeapi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.OptionalInt;

/**
 * Socket owners from the kernel's sock_diag Netlink interface (what {@code ss -e} uses): one request naming the exact
 * socket, a few microseconds, against milliseconds for reading /proc/net/tcp. Uses the foreign function API, so it is
 * compiled only by a JDK of 22 or later (the java22 Maven profile) and loaded by {@link SocketOwners#best}.
 *
 * <p>The request is a {@code nlmsghdr} followed by an {@code inet_diag_req_v2} whose {@code inet_diag_sockid} names
 * the client's socket (source = the client's port, destination = the server's, both 127.0.0.1); the answer's
 * {@code inet_diag_msg} carries the owner's uid.
 */
final class NetlinkSockDiag implements SocketOwners {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = function("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SEND = function("send", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = function("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final ValueLayout.OfShort BIG_ENDIAN_16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int NETLINK_SOCK_DIAG = 4;
    private static final short SOCK_DIAG_BY_FAMILY = 20;
    private static final short NLM_F_REQUEST = 1;
    private static final byte AF_INET = 2;
    private static final byte AF_INET6 = 10;
    private static final byte IPPROTO_TCP = 6;
    private static final int TCP_ESTABLISHED = 1;
    /** nlmsghdr (16 bytes) + inet_diag_req_v2 (8 bytes, then its 48-byte inet_diag_sockid). */
    private static final int REQUEST_BYTES = 16 + 8 + 48;
    private static final int SOURCE_PORT = 24;
    private static final int DESTINATION_PORT = 26;
    private static final int SOURCE_ADDRESS = 28;
    private static final int DESTINATION_ADDRESS = 44;
    private static final int COOKIE = 64;
    /** In the answer: nlmsghdr, then inet_diag_msg's family/state/timer/retrans, sockid, expires/rqueue/wqueue. */
    private static final int STATE = 16 + 1;
    private static final int UID = 16 + 4 + 48 + 12;
    private static final byte[] LOOPBACK_V4 = {127, 0, 0, 1};
    private static final byte[] LOOPBACK_V4_MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1};

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    @Override
    public boolean cheap() {
        return true;
    }

    @Override
    public OptionalInt ownerOf(int clientPort, int serverPort) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(8192, 8);
            int netlink = (int) SOCKET.invokeExact(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG);
            if (netlink < 0) {
                throw new IllegalStateException("cannot open a sock_diag socket");
            }
            try {
                OptionalInt owner = ask(netlink, buffer, AF_INET, LOOPBACK_V4, clientPort, serverPort);
                return owner.isPresent() ? owner
                        : ask(netlink, buffer, AF_INET6, LOOPBACK_V4_MAPPED, clientPort, serverPort);
            } finally {
                int ignored = (int) CLOSE.invokeExact(netlink);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static OptionalInt ask(int netlink, MemorySegment buffer, byte family, byte[] address, int clientPort,
            int serverPort) throws Throwable {
        buffer.fill((byte) 0);
        buffer.set(ValueLayout.JAVA_INT, 0, REQUEST_BYTES);
        buffer.set(ValueLayout.JAVA_SHORT, 4, SOCK_DIAG_BY_FAMILY);
        buffer.set(ValueLayout.JAVA_SHORT, 6, NLM_F_REQUEST); // one socket, not a dump
        buffer.set(ValueLayout.JAVA_BYTE, 16, family);
        buffer.set(ValueLayout.JAVA_BYTE, 17, IPPROTO_TCP);
        buffer.set(ValueLayout.JAVA_INT, 20, 1 << TCP_ESTABLISHED);
        buffer.set(BIG_ENDIAN_16, SOURCE_PORT, (short) clientPort);
        buffer.set(BIG_ENDIAN_16, DESTINATION_PORT, (short) serverPort);
        MemorySegment.copy(address, 0, buffer, ValueLayout.JAVA_BYTE, SOURCE_ADDRESS, address.length);
        MemorySegment.copy(address, 0, buffer, ValueLayout.JAVA_BYTE, DESTINATION_ADDRESS, address.length);
        buffer.set(ValueLayout.JAVA_INT, COOKIE, -1); // INET_DIAG_NOCOOKIE
        buffer.set(ValueLayout.JAVA_INT, COOKIE + 4, -1);
        if ((long) SEND.invokeExact(netlink, buffer, (long) REQUEST_BYTES, 0) != REQUEST_BYTES) {
            return OptionalInt.empty();
        }
        long received = (long) RECV.invokeExact(netlink, buffer, buffer.byteSize(), 0);
        // An unknown socket is answered with NLMSG_ERROR instead of SOCK_DIAG_BY_FAMILY. A lookup of one socket
        // ignores the state mask: the client's side of a connection whose process died lingers (FIN_WAIT2, still
        // with its uid), so only an established one counts as its owner's.
        if (received < UID + 4 || buffer.get(ValueLayout.JAVA_SHORT, 4) != SOCK_DIAG_BY_FAMILY
                || buffer.get(ValueLayout.JAVA_BYTE, STATE) != TCP_ESTABLISHED) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(buffer.get(ValueLayout.JAVA_INT, UID));
    }
}
