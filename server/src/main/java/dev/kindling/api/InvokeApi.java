package dev.kindling.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.invoke.AsyncInvocations;
import dev.kindling.invoke.InvokeResult;
import dev.kindling.invoke.Invoker;
import dev.kindling.invoke.ResponseChunks;
import dev.kindling.store.FunctionRecord;
import dev.kindling.telemetry.TraceHeader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Invoke (POST /2015-03-31/functions/{name}/invocations): RequestResponse, Event and DryRun; and
 * InvokeWithResponseStream, the response streamed as the function writes it.
 */
public final class InvokeApi implements ApiServer.Operations {
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    /** AWS's limit for an Event invocation's payload (1 MB since 2025; 256 KB before). */
    static final int MAX_EVENT_PAYLOAD_BYTES = 1024 * 1024;
    private static final byte[] EMPTY_EVENT = "{}".getBytes(StandardCharsets.UTF_8);

    private final FunctionService functions;
    private final Invoker invoker;
    private final AsyncInvocations events;

    public InvokeApi(FunctionService functions, Invoker invoker, AsyncInvocations events) {
        this.functions = functions;
        this.invoker = invoker;
        this.events = events;
    }

    @Override
    public void addRoutes(Router router) {
        router.add("Invoke", "POST", "/2015-03-31/functions/{name}/invocations", this::invoke);
        router.add("InvokeWithResponseStream", "POST",
                "/2021-11-15/functions/{name}/response-streaming-invocations", this::invokeWithResponseStream);
    }

    /**
     * InvokeWithResponseStream: the function's response as an event stream of PayloadChunk events, sent as the
     * runtime writes them (a function that does not stream sends one), then InvokeComplete with the error, if any,
     * and the log tail. Errors before the function answers (not found, throttled) are plain HTTP errors.
     */
    private ApiResponse invokeWithResponseStream(ApiRequest request) throws Exception {
        FunctionRef ref = functions.parseRef(request.pathParam("name"), request.queryParam("Qualifier").orElse(""));
        FunctionRecord f = invoker.resolve(ref);
        String invokedArn = functions.arn(ref.qualifiedName());
        byte[] payload = payload(request.body());
        String type = request.header("X-Amz-Invocation-Type").orElse("RequestResponse");
        if (type.equals("DryRun")) {
            return ApiResponse.empty(204);
        }
        if (!type.equals("RequestResponse")) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "1 validation error detected:"
                    + " Value '" + type + "' at 'invocationType' failed to satisfy constraint: Member must satisfy"
                    + " enum value set: [RequestResponse, DryRun]");
        }
        String clientContext = request.header("X-Amz-Client-Context").map(InvokeApi::decodeClientContext).orElse(null);
        Optional<TraceHeader> upstreamTrace = request.header("X-Amzn-Trace-Id").flatMap(TraceHeader::parse);
        boolean tail = request.header("X-Amz-Log-Type").orElse("None").equals("Tail");
        ResponseChunks chunks = new ResponseChunks();
        CompletableFuture<InvokeResult> running = new CompletableFuture<>();
        Thread.ofVirtual().name("streamed-" + request.requestId()).start(() -> {
            try {
                running.complete(invoker.invoke(request.requestId(), f, invokedArn, payload, clientContext,
                        upstreamTrace, tail, Optional.of(chunks)));
            } catch (Throwable e) {
                running.completeExceptionally(e);
            } finally {
                try {
                    chunks.end();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        chunks.awaitBegun();
        if (running.isCompletedExceptionally()) {
            throw failure(running);
        }
        return ApiResponse.streamed(200, EventStreamWriter.CONTENT_TYPE, out -> {
            EventStreamWriter events = new EventStreamWriter(out);
            try {
                for (Optional<byte[]> chunk = chunks.next(); chunk.isPresent(); chunk = chunks.next()) {
                    events.event("PayloadChunk", "application/octet-stream", chunk.get());
                }
                events.event("InvokeComplete", Json.bytes(completion(running, chunks.streamed(), events, tail)));
            } catch (IOException e) {
                chunks.readerGone(); // the caller left; the function runs to its end regardless, as on AWS
                throw e;
            } catch (InterruptedException e) {
                chunks.readerGone();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("the server is stopping");
            }
        }).withHeader("X-Amz-Executed-Version", f.version());
    }

    /** InvokeComplete's fields: the function's error type and message, and the log tail if asked for. */
    private static ObjectNode completion(CompletableFuture<InvokeResult> running,
            boolean streamed, EventStreamWriter events, boolean tail) throws IOException {
        ObjectNode complete = Json.object();
        InvokeResult result;
        try {
            result = running.join();
        } catch (CompletionException e) {
            return complete.put("ErrorCode", "ServiceException").put("ErrorDetails", String.valueOf(e.getCause()));
        }
        if (!result.functionError().isEmpty()) {
            JsonNode error = errorDocument(result.payload());
            complete.put("ErrorCode", error.path("errorType").asText(result.functionError()))
                    .put("ErrorDetails", error.path("errorMessage").asText(new String(result.payload(),
                            StandardCharsets.UTF_8)));
        } else if (!streamed && result.payload().length > 0) {
            events.event("PayloadChunk", "application/octet-stream", result.payload());
        }
        if (tail) {
            complete.put("LogResult", java.util.Base64.getEncoder().encodeToString(result.logTail()));
        }
        return complete;
    }

    /** A function error's JSON document ({errorMessage, errorType, ...}); empty if it is not one. */
    private static JsonNode errorDocument(byte[] payload) {
        try {
            return Json.parseObject(payload);
        } catch (LambdaException e) {
            return Json.object();
        }
    }

    private static Exception failure(CompletableFuture<InvokeResult> running) {
        try {
            running.join();
            return new IllegalStateException("the invocation did not fail");
        } catch (CompletionException e) {
            return e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
        }
    }

    private ApiResponse invoke(ApiRequest request) throws Exception {
        FunctionRef ref = functions.parseRef(request.pathParam("name"), request.queryParam("Qualifier").orElse(""));
        FunctionRecord f = invoker.resolve(ref);
        String invokedArn = functions.arn(ref.qualifiedName());
        byte[] payload = payload(request.body());
        String type = request.header("X-Amz-Invocation-Type").orElse("RequestResponse");
        String clientContext = request.header("X-Amz-Client-Context").map(InvokeApi::decodeClientContext).orElse(null);
        Optional<TraceHeader> upstreamTrace = request.header("X-Amzn-Trace-Id").flatMap(TraceHeader::parse);
        switch (type) {
            case "DryRun":
                return ApiResponse.empty(204);
            case "Event":
                if (payload.length > MAX_EVENT_PAYLOAD_BYTES) {
                    throw new LambdaException(ErrorType.RequestEntityTooLargeException, payload.length + " byte"
                            + " payload is too large for the Event invocation type (limit " + MAX_EVENT_PAYLOAD_BYTES
                            + " bytes)");
                }
                events.accept(request.requestId(), ref, payload, upstreamTrace); // on disk before the 202
                return ApiResponse.empty(202);
            case "RequestResponse":
                boolean tail = request.header("X-Amz-Log-Type").orElse("None").equals("Tail");
                InvokeResult result = invoker.invoke(request.requestId(), f, invokedArn, payload, clientContext,
                        upstreamTrace, tail);
                ApiResponse response = ApiResponse.bytes(200, result.payload(), "application/json")
                        .withHeader("X-Amz-Executed-Version", result.executedVersion());
                if (tail) {
                    response.withHeader("X-Amz-Log-Result", java.util.Base64.getEncoder().encodeToString(result.logTail()));
                }
                if (!result.functionError().isEmpty()) {
                    response.withHeader("X-Amz-Function-Error", result.functionError());
                }
                return response;
            default:
                throw new LambdaException(ErrorType.InvalidParameterValueException, "1 validation error detected:"
                        + " Value '" + type + "' at 'invocationType' failed to satisfy constraint: Member must satisfy"
                        + " enum value set: [Event, RequestResponse, DryRun]");
        }
    }

    /** The event as the runtime gets it: AWS's size limit, valid JSON, and an empty body as {}. */
    private static byte[] payload(byte[] body) {
        if (body.length > MAX_PAYLOAD_BYTES) {
            throw new LambdaException(ErrorType.RequestEntityTooLargeException,
                    "Request must be smaller than " + MAX_PAYLOAD_BYTES + " bytes for the InvokeFunction operation");
        }
        if (body.length == 0) {
            return EMPTY_EVENT;
        }
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            while (parser.nextToken() != null) {
                parser.skipChildren();
            }
        } catch (IOException e) {
            throw new LambdaException(ErrorType.InvalidRequestContentException,
                    "Could not parse request body into json: Could not parse payload into json: "
                            + Json.firstLine(e.getMessage()));
        }
        return body;
    }

    private static String decodeClientContext(String base64) {
        try {
            return new String(java.util.Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Client context must be a valid Base64-encoded JSON object.");
        }
    }

}
