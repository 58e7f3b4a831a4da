package dev.kindling.runtimeapi;

/**
 * Where a streamed response goes while the runtime writes it (Lambda-Runtime-Function-Response-Mode: streaming):
 * the caller of InvokeWithResponseStream, or a streamed function URL. Without one, a streamed response is collected
 * whole, as a buffered Invoke of a streaming function gets it on AWS.
 */
public interface ResponseSink {
    /** The stream's content type, as the runtime set it; told once, before the first chunk. */
    void begin(String contentType);

    /**
     * Takes the next piece of the body; blocks while the reader is behind, so the runtime's writes wait too.
     *
     * @return false once the reader has gone: the rest of the stream is read and dropped
     */
    boolean write(byte[] chunk) throws InterruptedException;
}
