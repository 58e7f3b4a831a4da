package dev.kindling.bench;

import java.time.Duration;

import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;

/** Helidon SE 4 WebServer; every request is handled on its own virtual thread. */
final class HelidonApp {
    private HelidonApp() {}

    static WebServer create(Hub hub, int port, long idleMs) {
        WebServerConfig.Builder b = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .shutdownHook(false)
                .routing(r -> routes(r, hub));
        if (idleMs > 0) {
            // -Dbench.helidonTimeout=idle|read|both (default both): which Helidon timeout to shorten.
            String which = System.getProperty("bench.helidonTimeout", "both");
            if (!which.equals("read")) {
                b.idleConnectionTimeout(Duration.ofMillis(idleMs));
                b.idleConnectionPeriod(Duration.ofMillis(Math.max(100, idleMs / 4)));
            }
            if (!which.equals("idle")) {
                b.connectionOptions(o -> o.readTimeout(Duration.ofMillis(idleMs)));
            }
        }
        return b.build().start();
    }

    static void routes(HttpRouting.Builder r, Hub hub) {
        r.post("/echo", (req, res) -> {
            res.header("Content-Type", "application/json");
            res.send(req.content().as(byte[].class));
        });
        r.post("/invoke", (req, res) -> {
            byte[] out = hub.invoke(Hub.fn(req.query().rawValue()), req.content().as(byte[].class));
            res.header("Content-Type", "application/json");
            res.send(out);
        });
        r.get("/next", (req, res) -> {
            Hub.Msg m = hub.next(Hub.fn(req.query().rawValue()));
            res.header("Lambda-Runtime-Aws-Request-Id", m.id());
            res.header("Content-Type", "application/json");
            res.send(m.body());
        });
        r.post("/reply/{id}", (req, res) -> {
            boolean ok = hub.reply(req.path().pathParameters().get("id"), req.content().as(byte[].class));
            res.status(ok ? Status.ACCEPTED_202 : Status.NOT_FOUND_404).send();
        });
        r.get("/hello", (req, res) -> {
            res.header("X-Virtual", Boolean.toString(Thread.currentThread().isVirtual()));
            res.header("Content-Type", "application/json");
            res.send("{\"hello\":true}".getBytes());
        });
        r.get("/hold", (req, res) -> {
            Thread.sleep(Long.parseLong(req.query().get("ms")));
            res.header("Content-Type", "application/json");
            res.send("{\"held\":true}".getBytes());
        });
    }
}
