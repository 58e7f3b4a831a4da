package dev.kindling.runtimeapi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Socket owners read from /proc/net/tcp and /proc/net/tcp6: works on every JDK, but each read makes the kernel walk
 * its whole connection table, 1.3-2.9 ms here (docs/runtime-api-isolation.md).
 */
final class ProcNetTcp implements SocketOwners {
    /** IPv4 sockets, then IPv6 ones: a dual-stack client (Java's, by default) reaches 127.0.0.1 from an IPv6 socket. */
    private static final Path[] TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};

    @Override
    public OptionalInt ownerOf(int clientPort, int serverPort) {
        for (Path table : TABLES) {
            OptionalInt owner = ownerIn(table, clientPort, serverPort);
            if (owner.isPresent()) {
                return owner;
            }
        }
        return OptionalInt.empty();
    }

    private static OptionalInt ownerIn(Path file, int clientPort, int serverPort) {
        String table;
        try {
            table = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        // Each line: "  sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt   uid ...",
        // addresses as hex "0100007F:1F90" (IPv6: 32 hex digits, then the port).
        String local = String.format(":%04X ", clientPort);
        String remote = String.format(":%04X ", serverPort);
        for (int start = table.indexOf('\n') + 1; start > 0 && start < table.length(); ) {
            int end = table.indexOf('\n', start);
            String line = table.substring(start, end < 0 ? table.length() : end);
            start = end < 0 ? -1 : end + 1;
            String[] fields = line.trim().split("\\s+");
            // State 01 is ESTABLISHED: the client's side of a connection whose process died lingers, with its uid.
            if (fields.length > 7 && (fields[1] + " ").endsWith(local) && (fields[2] + " ").endsWith(remote)
                    && fields[3].equals("01")) {
                return OptionalInt.of(Integer.parseInt(fields[7]));
            }
        }
        return OptionalInt.empty();
    }
}
