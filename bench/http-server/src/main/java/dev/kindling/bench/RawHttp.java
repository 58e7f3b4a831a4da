package dev.kindling.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Minimal HTTP/1.1 keep-alive client over a plain socket, so client overhead stays small and constant. */
final class RawHttp implements Closeable {
    record Resp(int status, Map<String, String> headers, byte[] body) {}

    private final Socket socket;
    private final BufferedInputStream in;
    private final OutputStream out;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    Resp exchange(String method, String path, byte[] body) throws IOException {
        StringBuilder h = new StringBuilder(128)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (body != null) {
            h.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        h.append("\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
        int n = body == null ? 0 : body.length;
        byte[] req = new byte[head.length + n];
        System.arraycopy(head, 0, req, 0, head.length);
        if (n > 0) System.arraycopy(body, 0, req, head.length, n);
        out.write(req); // headers and body in one write
        out.flush();

        String status = line();
        int code = Integer.parseInt(status.substring(9, 12));
        Map<String, String> headers = new HashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int c = l.indexOf(':');
            headers.put(l.substring(0, c).trim().toLowerCase(), l.substring(c + 1).trim());
        }
        byte[] respBody;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            for (int len = Integer.parseInt(line().split(";")[0].trim(), 16); len > 0;
                    len = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                bo.write(in.readNBytes(len));
                line();
            }
            while (!line().isEmpty()) { /* trailers */ }
            respBody = bo.toByteArray();
        } else {
            String cl = headers.get("content-length");
            respBody = cl == null ? new byte[0] : in.readNBytes(Integer.parseInt(cl));
        }
        return new Resp(code, headers, respBody);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new EOFException("connection closed");
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
