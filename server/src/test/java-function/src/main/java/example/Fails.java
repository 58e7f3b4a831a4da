package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Throws: the invocation's error carries the Java class name as errorType. */
public class Fails implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        throw new IllegalStateException("failing on purpose",
                new IllegalArgumentException("the cause"));
    }
}
