/*
 * Candidate (a) with Netlink sock_diag instead of /proc/net/tcp, in Java: the peer's uid from one exact
 * SOCK_DIAG_BY_FAMILY request (what `ss -e` uses) through the foreign function API (java.lang.foreign: final in
 * JDK 22; preview in 21). Same benchmark as `PeerUid.java bench`: OTHERS other established loopback connections
 * open, 20 probe connections x 100 lookups, median/p90/p99 in microseconds; a new netlink socket per lookup
 * ("open+query") and one kept open ("query").
 * Usage: java --enable-native-access=ALL-UNNAMED SockDiag.java [OTHERS...]     (default 10 100 1000)
 */
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class SockDiag {
    static final Linker LINKER = Linker.nativeLinker();
    static final MethodHandle SOCKET = fn("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    static final MethodHandle SEND = fn("send", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    static final MethodHandle RECV = fn("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final int AF_NETLINK = 16, SOCK_DGRAM = 2, NETLINK_SOCK_DIAG = 4, SOCK_DIAG_BY_FAMILY = 20;
    static final int REQUEST_SIZE = 16 + 8 + 48;  // nlmsghdr + inet_diag_req_v2 (with its inet_diag_sockid)
    static final int UID_OFFSET = 16 + 4 + 48 + 12;  // nlmsghdr, then inet_diag_msg's family..id, expires..wqueue

    static MethodHandle fn(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d);
    }

    /** The uid owning the established socket 127.0.0.1:peerPort -> 127.0.0.1:localPort, or -1. */
    static int peerUid(int nl, MemorySegment buf, int peerPort, int localPort) throws Throwable {
        buf.fill((byte) 0);
        buf.set(ValueLayout.JAVA_INT, 0, REQUEST_SIZE);                      // nlmsg_len
        buf.set(ValueLayout.JAVA_SHORT, 4, (short) SOCK_DIAG_BY_FAMILY);     // nlmsg_type
        buf.set(ValueLayout.JAVA_SHORT, 6, (short) 1);                       // NLM_F_REQUEST: one socket, no dump
        buf.set(ValueLayout.JAVA_BYTE, 16, (byte) 2);                        // AF_INET
        buf.set(ValueLayout.JAVA_BYTE, 17, (byte) 6);                        // IPPROTO_TCP
        buf.set(ValueLayout.JAVA_INT, 20, 1 << 1);                           // TCP_ESTABLISHED
        buf.set(BE16, 24, (short) peerPort);                                 // id.sport: the peer's side
        buf.set(BE16, 26, (short) localPort);                                // id.dport
        buf.set(BE32, 28, 0x7f000001);                                       // id.src 127.0.0.1
        buf.set(BE32, 44, 0x7f000001);                                       // id.dst
        buf.set(ValueLayout.JAVA_INT, 64, -1);                               // id.cookie: INET_DIAG_NOCOOKIE
        buf.set(ValueLayout.JAVA_INT, 68, -1);
        if ((long) SEND.invokeExact(nl, buf, (long) REQUEST_SIZE, 0) != REQUEST_SIZE) return -1;
        long n = (long) RECV.invokeExact(nl, buf, buf.byteSize(), 0);
        if (n < UID_OFFSET + 4 || buf.get(ValueLayout.JAVA_SHORT, 4) != SOCK_DIAG_BY_FAMILY) return -1;
        return buf.get(ValueLayout.JAVA_INT, UID_OFFSET);
    }

    record Pair(SocketChannel client, SocketChannel server) {}

    static Pair connect(ServerSocketChannel l) throws Exception {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
        c.connect(l.getLocalAddress());
        Pair p = new Pair(c, l.accept());
        c.setOption(StandardSocketOptions.SO_LINGER, 0);  // RST on close: no TIME_WAIT lines
        p.server().setOption(StandardSocketOptions.SO_LINGER, 0);
        return p;
    }

    static int port(java.net.SocketAddress a) { return ((InetSocketAddress) a).getPort(); }

    static String stats(long[] ns) {
        Arrays.sort(ns);
        return String.format("%8.1f %8.1f %8.1f", ns[ns.length / 2] / 1e3, ns[ns.length * 9 / 10] / 1e3,
                ns[ns.length * 99 / 100] / 1e3);
    }

    public static void main(String[] args) throws Throwable {
        int[] others = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {10, 100, 1000};
        ServerSocketChannel main = ServerSocketChannel.open(StandardProtocolFamily.INET);
        main.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
        ServerSocketChannel background = ServerSocketChannel.open(StandardProtocolFamily.INET);
        background.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
        int expected = (int) new com.sun.security.auth.module.UnixSystem().getUid();
        List<Pair> open = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(8192, 8);
            int nl = (int) SOCKET.invokeExact(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG);
            Pair warm = connect(main);  // JIT warm-up
            for (int i = 0; i < 5000; i++) peerUid(nl, buf, port(warm.server().getRemoteAddress()), port(main.getLocalAddress()));
            warm.client().close(); warm.server().close();
            System.out.printf("%-8s | %-26s | %-26s%n", "others", "query med/p90/p99 us", "open+query med/p90/p99 us");
            for (int target : others) {
                while (open.size() < target) open.add(connect(background));
                long[] reuse = new long[2000], fresh = new long[2000];
                int k = 0;
                for (int probe = 0; probe < 20; probe++) {
                    Pair p = connect(main);
                    int peer = port(p.server().getRemoteAddress()), local = port(p.server().getLocalAddress());
                    for (int i = 0; i < 100; i++, k++) {
                        long t0 = System.nanoTime();
                        int u1 = peerUid(nl, buf, peer, local);
                        long t1 = System.nanoTime();
                        int fd = (int) SOCKET.invokeExact(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG);
                        int u2 = peerUid(fd, buf, peer, local);
                        int ignored = (int) CLOSE.invokeExact(fd);
                        long t2 = System.nanoTime();
                        if (u1 != expected || u2 != expected) throw new IllegalStateException("lookup failed: " + u1 + " " + u2);
                        reuse[k] = t1 - t0;
                        fresh[k] = t2 - t1;
                    }
                    p.client().close(); p.server().close();
                }
                System.out.printf("%-8d | %s   | %s%n", target, stats(reuse), stats(fresh));
            }
        }
    }
}
