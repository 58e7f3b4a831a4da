package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** Init once: static and constructor initialisation run in the init phase, and invocations reuse them. */
public class Counter implements RequestHandler<Object, String> {
    private static int classInits;
    private static int constructed;
    private int calls;

    static {
        classInits++;
    }

    public Counter() {
        constructed++;
    }

    @Override
    public String handleRequest(Object event, Context context) {
        calls++;
        return "classInits=" + classInits + " constructed=" + constructed + " calls=" + calls;
    }
}
