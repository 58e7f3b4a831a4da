package dev.kindling.javaruntime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Lambda Runtime API, as its endpoints are named: next invocation, invocation response, invocation error, init
 * error. One kept-alive HTTP/1.1 connection, written by hand: java.net.http would cost tens of milliseconds of class
 * loading at every cold start, and the protocol needs four requests.
 */
final class RuntimeApiClient {
    private static final String BASE = "/2018-06-01/runtime";
    private static final String ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type";

    /** One answer of the Runtime API: status, headers (names in lower case) and body. */
    static final class Answer {
        final int status;
        final Map<String, String> headers;
        final byte[] body;

        Answer(int status, Map<String, String> headers, byte[] body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** @param address AWS_LAMBDA_RUNTIME_API: host:port */
    RuntimeApiClient(String address) {
        int colon = address.lastIndexOf(':');
        this.host = address.substring(0, colon);
        this.port = Integer.parseInt(address.substring(colon + 1));
    }

    /** Waits for the next invocation (as long as it takes). */
    Answer next() throws IOException {
        return request("GET", BASE + "/invocation/next", null, new byte[0], null);
    }

    void respond(String requestId, byte[] body) throws IOException {
        expectAccepted(request("POST", BASE + "/invocation/" + requestId + "/response", "application/json", body,
                null));
    }

    void reportError(String requestId, String errorType, byte[] body) throws IOException {
        expectAccepted(request("POST", BASE + "/invocation/" + requestId + "/error", "application/json", body,
                errorType));
    }

    void reportInitError(String errorType, byte[] body) throws IOException {
        request("POST", BASE + "/init/error", "application/json", body, errorType);
    }

    private static void expectAccepted(Answer answer) throws IOException {
        if (answer.status >= 500) {
            throw new IOException("the Runtime API answered " + answer.status + ": "
                    + new String(answer.body, StandardCharsets.UTF_8));
        }
    }

    private Answer request(String method, String path, String contentType, byte[] body, String errorType)
            throws IOException {
        StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n")
                .append("User-Agent: kindling-java-runtime\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (errorType != null) {
            head.append(ERROR_TYPE_HEADER).append(": ").append(errorType.replaceAll("[\\r\\n]", " ")).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[headBytes.length + body.length]; // one write: no Nagle delay between parts
        System.arraycopy(headBytes, 0, message, 0, headBytes.length);
        System.arraycopy(body, 0, message, headBytes.length, body.length);
        connect();
        try {
            out.write(message);
            out.flush();
            return readAnswer();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port));
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
        }
    }

    private void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // the next request connects again
        }
        socket = null;
    }

    private Answer readAnswer() throws IOException {
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        byte[] body;
        String length = headers.get("content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked();
        } else {
            body = in.readAllBytes();
            close();
        }
        if ("close".equalsIgnoreCase(headers.get("connection"))) {
            close();
        }
        return new Answer(status, headers, body);
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        throw new IOException("the Runtime API closed the connection");
    }
}
