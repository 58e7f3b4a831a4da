package dev.kindling.bench;

/**
 * Does a request whose handler blocks longer than the server's idle timeout survive?
 * (A Runtime API /next long poll does exactly that.) Usage: HoldCheck port holdMs
 */
public final class HoldCheck {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long ms = Long.parseLong(args[1]);
        long t0 = System.nanoTime();
        String result;
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Resp r = c.exchange("GET", "/hold?ms=" + ms, null);
            result = "status " + r.status() + " body " + new String(r.body());
            RawHttp.Resp again = c.exchange("GET", "/hello", null);
            result += "; same connection reused: status " + again.status()
                    + ", handler on virtual thread: " + again.headers().get("x-virtual");
        } catch (Exception e) {
            result = "FAILED: " + e;
        }
        System.out.printf("hold %d ms: %s after %.0f ms%n", ms, result, (System.nanoTime() - t0) / 1e6);
    }
}
