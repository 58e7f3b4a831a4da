package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** Its constructor throws: an init failure, reported before any invocation runs. */
public class BrokenInit implements RequestHandler<Object, String> {
    public BrokenInit() {
        throw new UnsupportedOperationException("cannot start without its configuration");
    }

    @Override
    public String handleRequest(Object event, Context context) {
        return "unreachable";
    }
}
