package dev.kindling.javaruntime;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.InputStream;
import java.io.OutputStream;

/** A function's handler, loaded and built once per environment: turns one event into one result. */
interface Handler {
    /** @throws Throwable whatever the function's code threw: it becomes the invocation's error */
    void invoke(InputStream event, OutputStream result, Context context) throws Throwable;
}
