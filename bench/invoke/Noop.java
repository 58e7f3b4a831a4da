package bench;

import java.util.Map;

/** The Java no-op for bench/invoke (JAVA_BENCH=1): a plain method taking and returning a Map, as many handlers do. */
public class Noop {
    public Map<String, Object> handle(Map<String, Object> event) {
        return null;
    }
}
