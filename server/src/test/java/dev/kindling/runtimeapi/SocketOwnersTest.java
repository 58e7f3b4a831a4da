package dev.kindling.runtimeapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Both ways of finding who opened a loopback connection name its owner, for an IPv4 client and for a dual-stack one
 * (Java's default, seen by the kernel as IPv6 with IPv4-mapped addresses), and nobody for a connection that does not
 * exist or that its client has closed. The Runtime API refuses every connection whose owner is not its environment's user on this answer.
 */
class SocketOwnersTest {
    private static int ownUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.split("\\s+")[1]);
            }
        }
        throw new IllegalStateException("no Uid line");
    }

    private static void assertOwners(SocketOwners owners) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int serverPort = ((InetSocketAddress) server.getLocalAddress()).getPort();
            for (SocketChannel client : List.of(SocketChannel.open(StandardProtocolFamily.INET), SocketChannel.open())) {
                try (client; SocketChannel accepted = connect(client, server)) {
                    int clientPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
                    assertThat(owners.ownerOf(clientPort, serverPort)).as("%s, client %s", owners, client)
                            .isEqualTo(OptionalInt.of(ownUid()));
                    assertThat(owners.ownerOf(clientPort, serverPort == 65535 ? 1 : serverPort + 1))
                            .as("a connection that does not exist").isEmpty();
                    // The client closes its side, as a runtime's connections close when its process dies; the
                    // server's side stays open, as a waiting GET /next's does, so the client's lingers (FIN_WAIT2).
                    client.close();
                    assertThat(owners.ownerOf(clientPort, serverPort)).as("%s, a client that closed its side", owners)
                            .isEmpty();
                }
            }
        }
    }

    private static SocketChannel connect(SocketChannel client, ServerSocketChannel server) throws IOException {
        client.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort()));
        return server.accept();
    }

    @Test
    void procNetTcpNamesTheOwner() throws IOException {
        assertOwners(new ProcNetTcp());
    }

    @Test
    void theBestWayNamesTheOwnerAndIsSockDiagFromJdk22() throws IOException {
        SocketOwners best = SocketOwners.best();
        if (Runtime.version().feature() >= 22) {
            assertThat(best.getClass().getSimpleName()).isEqualTo("NetlinkSockDiag");
        }
        assertOwners(best);
    }
}
