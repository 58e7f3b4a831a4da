package dev.kindling.bench;

/**
 * Starts one server and prints "READY <port>" on stdout.
 * Usage: ServerMain jetty|jetty-vtp|helidon [port] [idleTimeoutMs]
 */
public final class ServerMain {
    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        long idleMs = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Hub hub = new Hub();
        int bound = switch (kind) {
            case "jetty" -> JettyApp.port(JettyApp.create(hub, false, port, idleMs));
            case "jetty-vtp" -> JettyApp.port(JettyApp.create(hub, true, port, idleMs));
            case "helidon" -> HelidonApp.create(hub, port, idleMs).port();
            default -> throw new IllegalArgumentException(kind);
        };
        System.out.println("READY " + bound);
        System.out.flush();
        Thread.currentThread().join();
    }
}
