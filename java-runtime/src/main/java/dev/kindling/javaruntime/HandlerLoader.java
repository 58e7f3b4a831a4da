package dev.kindling.javaruntime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the handler a handler string names, as AWS's Java runtime accepts them: {@code pkg.Class} (a RequestHandler
 * or RequestStreamHandler) or {@code pkg.Class::method}, where the method takes {@code ()}, {@code (I)},
 * {@code (I, Context)}, {@code (InputStream, OutputStream)} or {@code (InputStream, OutputStream, Context)}; of
 * overloads, the one with the most parameters wins, and on a tie the one ending with a Context. Loading the class runs
 * its static initialisers, and a handler that is not static is built once with its public no-argument constructor:
 * both belong to the init phase and are reused by every invocation of the environment.
 */
final class HandlerLoader {
    /** Why the handler cannot be loaded, with the error type AWS reports for it. */
    static final class LoadFailure extends Exception {
        final String errorType;

        LoadFailure(String errorType, String message, Throwable cause) {
            super(message, cause);
            this.errorType = errorType;
        }
    }

    /** A loaded handler and the types its events and results are read and written as (none for streams). */
    static final class Loaded {
        final Handler handler;
        final List<Type> types;

        Loaded(Handler handler, List<Type> types) {
            this.handler = handler;
            this.types = types;
        }
    }

    private final ClassLoader loader;
    private final Serialization serialization;

    HandlerLoader(ClassLoader loader, Serialization serialization) {
        this.loader = loader;
        this.serialization = serialization;
    }

    /** @throws Throwable what the function's static or constructor initialisation threw */
    Loaded load(String handler) throws Throwable {
        int separator = handler.indexOf("::");
        String className = separator < 0 ? handler : handler.substring(0, separator);
        String methodName = separator < 0 ? "handleRequest" : handler.substring(separator + 2);
        Class<?> type = loadClass(className);
        boolean viaInterface = methodName.equals("handleRequest")
                && (RequestHandler.class.isAssignableFrom(type) || RequestStreamHandler.class.isAssignableFrom(type));
        if (separator < 0 && !viaInterface) {
            throw new LoadFailure("java.lang.IllegalArgumentException", "Class " + className + " does not implement"
                    + " RequestHandler or RequestStreamHandler: name its method as " + className + "::method", null);
        }
        if (viaInterface && RequestStreamHandler.class.isAssignableFrom(type)) {
            RequestStreamHandler instance = (RequestStreamHandler) construct(type);
            return new Loaded(instance::handleRequest, List.of());
        }
        if (viaInterface) {
            return requestHandler(type);
        }
        return method(type, methodName);
    }

    private Class<?> loadClass(String className) throws Throwable {
        try {
            return Class.forName(className, true, loader);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new LoadFailure("java.lang.ClassNotFoundException", "Class not found: " + className, e);
        } catch (ExceptionInInitializerError e) {
            throw e.getCause() == null ? e : e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private Loaded requestHandler(Class<?> type) throws Throwable {
        Type[] arguments = TypeArguments.of(type, RequestHandler.class).orElse(new Type[] {Object.class, Object.class});
        RequestHandler<Object, Object> instance = (RequestHandler<Object, Object>) construct(type);
        Type input = arguments[0];
        Type output = arguments[1];
        return new Loaded((event, result, context) -> {
            Object value = instance.handleRequest(readEvent(event, input), context);
            serialization.write(value, output, result);
        }, List.of(input, output));
    }

    private Loaded method(Class<?> type, String name) throws Throwable {
        List<Method> candidates = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && !m.isBridge() && !m.isSynthetic() && m.getParameterCount() <= 3) {
                candidates.add(m);
            }
        }
        if (candidates.isEmpty()) {
            throw new LoadFailure("java.lang.NoSuchMethodException", "No public method named " + name + " with"
                    + " appropriate method signature found on class " + type.getName(), null);
        }
        candidates.sort(Comparator.<Method>comparingInt(Method::getParameterCount)
                .thenComparing(m -> endsWithContext(m) ? 1 : 0).reversed());
        Method chosen = candidates.get(0);
        Object instance = Modifier.isStatic(chosen.getModifiers()) ? null : construct(type);
        Class<?>[] params = chosen.getParameterTypes();
        Type[] generic = chosen.getGenericParameterTypes();
        Type returned = chosen.getReturnType() == void.class ? Void.class : chosen.getGenericReturnType();
        boolean streams = params.length >= 2 && params[0] == InputStream.class && params[1] == OutputStream.class;
        if (params.length == 3 && !(streams && params[2] == Context.class)
                || params.length == 2 && !streams && params[1] != Context.class) {
            throw new LoadFailure("java.lang.NoSuchMethodException", "No public method named " + name + " with"
                    + " appropriate method signature found on class " + type.getName()
                    + ": use (I), (I, Context), (InputStream, OutputStream) or (InputStream, OutputStream, Context)",
                    null);
        }
        chosen.setAccessible(true);
        List<Type> types = new ArrayList<>();
        if (!streams && params.length >= 1 && params[0] != Context.class) {
            types.add(generic[0]);
        }
        if (!streams) {
            types.add(returned);
        }
        return new Loaded((event, result, context) -> {
            Object[] args = new Object[params.length];
            if (streams) {
                args[0] = event;
                args[1] = result;
            } else if (params.length >= 1) {
                args[0] = params[0] == Context.class ? context : readEvent(event, generic[0]);
            }
            if (params.length == 3 || params.length == 2 && !streams) {
                args[params.length - 1] = context;
            }
            Object value;
            try {
                value = chosen.invoke(instance, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (!streams) {
                serialization.write(value, returned, result);
            }
        }, types);
    }

    private static boolean endsWithContext(Method m) {
        Class<?>[] params = m.getParameterTypes();
        return params.length > 0 && params[params.length - 1] == Context.class;
    }

    private Object readEvent(InputStream event, Type type) {
        if (type == InputStream.class) {
            return event;
        }
        return serialization.read(event, type);
    }

    private static Object construct(Class<?> type) throws Throwable {
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new LoadFailure("java.lang.NoSuchMethodException", "Class " + type.getName()
                    + " has no public zero-argument constructor", e);
        }
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
