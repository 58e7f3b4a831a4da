package dev.kindling.javaruntime;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads events and writes results as AWS's Java runtime does: the event classes of aws-lambda-java-events through
 * AWS's own serializers (their mixins carry AWS's naming rules), everything else through AWS's Jackson factory; a
 * CustomPojoSerializer the function registers (META-INF/services) replaces both, as on AWS.
 */
final class Serialization {
    private final ClassLoader loader;
    private final Optional<CustomPojoSerializer> custom;
    private final Map<Type, PojoSerializer<Object>> serializers = new ConcurrentHashMap<>();

    Serialization(ClassLoader loader) {
        this.loader = loader;
        Iterator<CustomPojoSerializer> found = ServiceLoader.load(CustomPojoSerializer.class, loader).iterator();
        this.custom = found.hasNext() ? Optional.of(found.next()) : Optional.empty();
    }

    Object read(InputStream json, Type type) {
        if (custom.isPresent()) {
            return custom.get().fromJson(json, type);
        }
        byte[] bytes;
        try {
            bytes = json.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<Object> plain = PlainJson.read(bytes, type);
        return plain.isPresent() ? plain.get() : serializer(type).fromJson(new ByteArrayInputStream(bytes));
    }

    /** Writes {@code value} as the declared type says, or as its own class when the declaration says less. */
    void write(Object value, Type declared, OutputStream out) {
        Type type = value == null || declared == Object.class || !(declared instanceof Class) ? declared
                : value.getClass();
        if (custom.isPresent()) {
            custom.get().toJson(value, out, type);
            return;
        }
        if (!PlainJson.write(value, out)) {
            serializer(type).toJson(value, out);
        }
    }

    /**
     * Builds the serializer of a handler's event or result type, when Jackson's is the one it takes: for a SnapStart
     * training, so its cache holds what the function's invocations load. Plain types need nothing: a cache holding
     * Jackson for nothing would only slow every start (an AOT cache's classes are all loaded at start).
     */
    void prepare(Type type) {
        if (custom.isEmpty() && !PlainJson.reads(type) && type != Object.class && type != Void.class
                && type != void.class) {
            PojoSerializer<Object> serializer = serializer(type);
            try { // Jackson builds a type's deserializer at its first read: an empty object has it built here
                serializer.fromJson("{}");
            } catch (RuntimeException e) {
                // a type that cannot be read from {} is prepared as far as it went
            }
        }
    }

    @SuppressWarnings("unchecked")
    private PojoSerializer<Object> serializer(Type type) {
        return serializers.computeIfAbsent(type, t -> {
            if (t instanceof Class && LambdaEventSerializers.isLambdaSupportedEvent(((Class<?>) t).getName())) {
                return LambdaEventSerializers.serializerFor((Class<Object>) t, loader);
            }
            return JacksonFactory.getInstance().getSerializer(t);
        });
    }
}
