package dev.kindling.bench;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Adds a ServerConnector (127.0.0.1, ephemeral port) to one running Jetty Server, and removes it. */
final class JettyListeners implements ConnectorChurn.Factory {
    private final Server server;
    private final int acceptors;

    JettyListeners(boolean allVirtual, int acceptors) throws Exception {
        this.server = JettyApp.create(new Hub(), allVirtual, 0, 0);
        this.acceptors = acceptors;
    }

    @Override
    public String describe() {
        return "ServerConnector acceptors=" + acceptors + ",selectors=1";
    }

    @Override
    public ConnectorChurn.Listener open() throws Exception {
        ServerConnector c = new ServerConnector(server, acceptors, 1);
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        c.start();
        return new ConnectorChurn.Listener() {
            public int port() { return c.getLocalPort(); }
            public void close() throws Exception { c.stop(); server.removeConnector(c); }
        };
    }
}
