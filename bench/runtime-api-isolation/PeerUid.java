/*
 * Candidate (a), the uid check: on accepting a TCP connection on 127.0.0.1, find the uid that owns the peer's socket
 * by reading /proc/net/tcp (the line whose local address is the peer's port and whose remote address is ours; its
 * uid column), as the server would in Java.
 *
 *   java PeerUid.java bench [OTHERS...]     cost of one lookup with OTHERS (default 10 100 1000) other established
 *                                           loopback connections open (each is two lines of /proc/net/tcp); 20
 *                                           probe connections x 100 lookups each; prints median, p90, p99 in us
 *   java PeerUid.java serve PORTFILE COUNT  listens on 127.0.0.1, writes its port to PORTFILE, and for each of COUNT
 *                                           connections prints the uid /proc/net/tcp gives for the peer
 *                                           (used by check-uid.sh)
 * Sockets are IPv4 (StandardProtocolFamily.INET), as a runtime connecting to "127.0.0.1:port" creates them. A
 * client that used an IPv6 socket (v4-mapped) would appear in /proc/net/tcp6 instead: the server reads both.
 */
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

public class PeerUid {
    static final String LOOPBACK = "0100007F";  // 127.0.0.1 as /proc/net/tcp writes it (little-endian hex)

    /** The uid owning the established IPv4 socket 127.0.0.1:peerPort -> 127.0.0.1:localPort, if there is one. */
    static OptionalInt peerUid(int peerPort, int localPort) throws IOException {
        String needle = String.format("%s:%04X %s:%04X 01 ", LOOPBACK, peerPort, LOOPBACK, localPort);
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            String table;
            try (var in = new FileInputStream(file)) {
                table = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            if (file.endsWith("6")) {  // a v4-mapped peer: ::ffff:127.0.0.1 is 0000000000000000FFFF00000100007F
                needle = String.format("0000000000000000FFFF0000%s:%04X 0000000000000000FFFF0000%s:%04X 01 ",
                        LOOPBACK, peerPort, LOOPBACK, localPort);
            }
            int at = table.indexOf(needle);
            if (at < 0) continue;
            // fields after the address pair: st tx_queue:rx_queue tr:tm->when retrnsmt uid
            String[] fields = table.substring(at, table.indexOf('\n', at)).trim().split("\\s+");
            return OptionalInt.of(Integer.parseInt(fields[6]));
        }
        return OptionalInt.empty();
    }

    record Pair(SocketChannel client, SocketChannel server) {}

    static Pair connect(ServerSocketChannel listener) throws IOException {
        SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET);
        client.connect(listener.getLocalAddress());
        return new Pair(client, listener.accept());
    }

    static ServerSocketChannel listen() throws IOException {
        ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.INET);
        l.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
        return l;
    }

    static int port(java.net.SocketAddress a) { return ((InetSocketAddress) a).getPort(); }

    static void bench(int[] others) throws IOException {
        System.out.printf("%-8s %8s %10s %10s %10s %10s%n", "others", "lines", "median_us", "p90_us", "p99_us", "samples");
        ServerSocketChannel main = listen(), background = listen();
        List<Pair> open = new ArrayList<>();
        Pair warm = connect(main);  // JIT warm-up: 2,000 lookups before measuring
        for (int i = 0; i < 2000; i++) peerUid(port(warm.server().getRemoteAddress()), port(warm.server().getLocalAddress()));
        warm.client().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        warm.client().close();
        warm.server().close();
        for (int target : others) {
            while (open.size() < target) {  // RST on exit too, so that runs leave no TIME_WAIT lines
                Pair p = connect(background);
                p.client().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                p.server().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                open.add(p);
            }
            long[] ns = new long[20 * 100];
            int k = 0;
            for (int probe = 0; probe < 20; probe++) {
                Pair p = connect(main);
                int peer = port(p.server().getRemoteAddress()), local = port(p.server().getLocalAddress());
                int expected = Integer.parseInt(Files.readString(Path.of("/proc/self/status")).lines()
                        .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1]);
                for (int i = 0; i < 100; i++) {
                    long t0 = System.nanoTime();
                    OptionalInt uid = peerUid(peer, local);
                    ns[k++] = System.nanoTime() - t0;
                    if (uid.isEmpty() || uid.getAsInt() != expected) throw new IllegalStateException("lookup failed");
                }
                p.client().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);  // RST: no TIME_WAIT lines
                p.client().close();
                p.server().close();
            }
            Arrays.sort(ns);
            long lines = Files.readAllLines(Path.of("/proc/net/tcp")).size() - 1;
            System.out.printf("%-8d %8d %10.1f %10.1f %10.1f %10d%n", target, lines, ns[ns.length / 2] / 1e3,
                    ns[ns.length * 9 / 10] / 1e3, ns[ns.length * 99 / 100] / 1e3, ns.length);
        }
    }

    static void serve(Path portFile, int count) throws IOException {
        try (ServerSocketChannel l = listen()) {
            Files.writeString(portFile, Integer.toString(port(l.getLocalAddress())));
            for (int i = 0; i < count; i++) {
                try (SocketChannel c = l.accept()) {
                    int peer = port(c.getRemoteAddress()), local = port(c.getLocalAddress());
                    OptionalInt uid = peerUid(peer, local);
                    System.out.println("peer_port=" + peer + " uid=" + (uid.isPresent() ? uid.getAsInt() : "none"));
                    System.out.flush();
                }
            }
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 1 && args[0].equals("bench")) {
            int[] others = args.length > 1
                    ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                    : new int[] {10, 100, 1000};
            bench(others);
        } else if (args.length == 3 && args[0].equals("serve")) {
            serve(Path.of(args[1]), Integer.parseInt(args[2]));
        } else {
            System.err.println("usage: java PeerUid.java bench [OTHERS...] | serve PORTFILE COUNT");
            System.exit(2);
        }
    }
}
