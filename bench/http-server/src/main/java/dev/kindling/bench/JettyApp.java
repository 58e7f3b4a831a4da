package dev.kindling.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/** Jetty 12 core API (no servlets). Handler.Abstract is a blocking handler, so Jetty runs it on a virtual thread. */
final class JettyApp extends Handler.Abstract {
    private final Hub hub;

    JettyApp(Hub hub) {
        this.hub = hub;
    }

    /**
     * @param allVirtual true: VirtualThreadPool (every Jetty thread is virtual);
     *                   false: QueuedThreadPool (platform selector threads) + virtual threads for blocking handlers.
     */
    static Server create(Hub hub, boolean allVirtual, int port, long idleMs) throws Exception {
        ThreadPool pool;
        if (allVirtual) {
            pool = new VirtualThreadPool();
        } else {
            QueuedThreadPool qtp = new QueuedThreadPool();
            qtp.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
            pool = qtp;
        }
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        if (idleMs > 0) connector.setIdleTimeout(idleMs);
        server.addConnector(connector);
        server.setHandler(new JettyApp(hub));
        server.start();
        return server;
    }

    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public boolean handle(Request req, Response res, Callback cb) throws Exception {
        String path = Request.getPathInContext(req);
        String method = req.getMethod();
        if (method.equals("POST") && path.equals("/echo")) {
            send(res, cb, 200, Content.Source.asByteBuffer(req));
        } else if (method.equals("POST") && path.equals("/invoke")) {
            send(res, cb, 200, ByteBuffer.wrap(hub.invoke(Hub.fn(req.getHttpURI().getQuery()), bytes(req))));
        } else if (method.equals("GET") && path.equals("/next")) {
            Hub.Msg m = hub.next(Hub.fn(req.getHttpURI().getQuery()));
            res.getHeaders().put("Lambda-Runtime-Aws-Request-Id", m.id());
            send(res, cb, 200, ByteBuffer.wrap(m.body()));
        } else if (method.equals("POST") && path.startsWith("/reply/")) {
            boolean ok = hub.reply(path.substring("/reply/".length()), bytes(req));
            send(res, cb, ok ? 202 : 404, ByteBuffer.allocate(0));
        } else if (method.equals("GET") && path.equals("/hello")) {
            res.getHeaders().put("X-Virtual", Boolean.toString(Thread.currentThread().isVirtual()));
            send(res, cb, 200, ByteBuffer.wrap("{\"hello\":true}".getBytes(StandardCharsets.US_ASCII)));
        } else if (method.equals("GET") && path.equals("/hold")) {
            String q = req.getHttpURI().getQuery();
            Thread.sleep(Long.parseLong(q.substring(q.indexOf('=') + 1)));
            send(res, cb, 200, ByteBuffer.wrap("{\"held\":true}".getBytes(StandardCharsets.US_ASCII)));
        } else {
            send(res, cb, 404, ByteBuffer.allocate(0));
        }
        return true;
    }

    private static byte[] bytes(Request req) throws Exception {
        ByteBuffer b = Content.Source.asByteBuffer(req);
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    private static void send(Response res, Callback cb, int status, ByteBuffer body) {
        res.setStatus(status);
        res.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        res.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        res.write(true, body, cb);
    }
}
