package dev.kindling.bench;

import io.helidon.webserver.WebServer;

/** Helidon cannot add a socket to a running WebServer: start a whole extra WebServer per listener instead. */
final class HelidonListeners implements ConnectorChurn.Factory {
    private final Hub hub = new Hub();

    HelidonListeners() {
        HelidonApp.create(hub, 0, 0); // the "main" server, as in the Jetty case
    }

    @Override
    public String describe() {
        return "one WebServer per listener";
    }

    @Override
    public ConnectorChurn.Listener open() {
        WebServer w = HelidonApp.create(hub, 0, 0);
        return new ConnectorChurn.Listener() {
            public int port() { return w.port(); }
            public void close() { w.stop(); }
        };
    }
}
