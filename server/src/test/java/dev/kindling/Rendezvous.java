package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP listener on 127.0.0.1 that functions call, so a test waits for events instead of sleeping: that an
 * invocation or an init has reached a point (and is held there until the test answers), and that the function's
 * process has ended (the kernel closes its connection then). The function's side is {@link #PYTHON}; the function
 * learns the port from its event or an environment variable, so the signal needs only outbound network, which a
 * sandboxed function keeps, and no shared files.
 */
final class Rendezvous implements AutoCloseable {
    /** How long a test waits for a function to call in or to end: generous, for a loaded 2-core machine. */
    static final Duration DEADLINE = Duration.ofSeconds(120);

    /**
     * Python that a handler module or a bootstrap starts with. {@code ENVIRONMENT} names this process (a pid does
     * not: in PID namespaces environments share pids); {@code announce(port)} tells the test this process got
     * here and goes on; {@code arrive(port)} tells it and waits for the test's answer, which it returns. Each
     * connection stays open until the process ends.
     */
    static final String PYTHON = """
            import socket as _socket, uuid as _uuid
            ENVIRONMENT = str(_uuid.uuid4())
            _calls = []
            def announce(port):
                s = _socket.create_connection(("127.0.0.1", int(port)))
                s.sendall((ENVIRONMENT + "\\n").encode())
                _calls.append(s)
                return s
            def arrive(port):
                s = announce(port)
                answer = b""
                while not answer.endswith(b"\\n"):
                    chunk = s.recv(1)
                    if not chunk:
                        raise ConnectionError("the test hung up")
                    answer += chunk
                return answer.decode().strip()
            """;

    private final ServerSocket listener;
    private final BlockingQueue<Caller> arrivals = new LinkedBlockingQueue<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    Rendezvous() {
        try {
            listener = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("rendezvous").start(this::acceptAll);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** An event that gives a function this port: {@code {"port": N}}. */
    String event() {
        return "{\"port\": " + port() + "}";
    }

    /** The next process to call in; fails the test if none does within the deadline. */
    Caller next(String what) throws InterruptedException {
        Caller caller = arrivals.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (caller == null) {
            fail(what + ": nothing called in within " + DEADLINE.toSeconds() + " s");
        }
        return caller;
    }

    /** The next {@code count} processes to call in, all within the deadline: so many are at this point at once. */
    List<Caller> next(int count, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<Caller> callers = new ArrayList<>();
        while (callers.size() < count) {
            Caller caller = arrivals.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (caller == null) {
                fail(what + ": only " + callers.size() + " of " + count + " called in within "
                        + DEADLINE.toSeconds() + " s");
            }
            callers.add(caller);
        }
        return callers;
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.add(socket);
            Thread.ofVirtual().start(() -> greet(socket));
        }
    }

    private void greet(Socket socket) {
        try {
            socket.setSoTimeout((int) DEADLINE.toMillis());
            arrivals.add(new Caller(socket, readLine(socket.getInputStream())));
        } catch (IOException e) {
            closeQuietly(socket);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("closed before a whole line");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        connections.forEach(Rendezvous::closeQuietly);
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One call from a function's process. */
    static final class Caller {
        private final Socket socket;
        private final String environment;

        private Caller(Socket socket, String environment) {
            this.socket = socket;
            this.environment = environment;
        }

        /** The calling process's {@code ENVIRONMENT}. */
        String environment() {
            return environment;
        }

        /** Lets the process that waits in {@code arrive} go on, with {@code answer} as what it returns. */
        void answer(String answer) {
            try {
                socket.getOutputStream().write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the function's process is gone: " + environment, e);
            }
        }

        void release() {
            answer("go");
        }

        /** Waits until the calling process has ended; fails the test if it still runs after the deadline. */
        void awaitEnd(String what) {
            try {
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    // a function says nothing after its first line; read on until the connection closes
                }
            } catch (SocketTimeoutException e) {
                fail(what + " still runs after " + DEADLINE.toSeconds() + " s");
            } catch (IOException e) {
                // reset by the kernel as the process died: ended too
            }
            assertThat(socket.isClosed()).as("the test did not close it itself").isFalse();
        }
    }
}
