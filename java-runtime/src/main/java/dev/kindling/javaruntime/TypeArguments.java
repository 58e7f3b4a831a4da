package dev.kindling.javaruntime;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The type arguments a class gives a generic interface somewhere up its hierarchy: {@code RequestHandler<I, O>}'s I
 * and O for a handler class, however many generic classes lie between them.
 */
final class TypeArguments {
    private TypeArguments() {}

    static Optional<Type[]> of(Class<?> type, Class<?> generic) {
        return find(type, generic, new HashMap<>());
    }

    private static Optional<Type[]> find(Type type, Class<?> generic, Map<TypeVariable<?>, Type> bound) {
        Class<?> raw;
        if (type instanceof ParameterizedType) {
            ParameterizedType p = (ParameterizedType) type;
            raw = (Class<?>) p.getRawType();
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] actual = p.getActualTypeArguments();
            Map<TypeVariable<?>, Type> inner = new HashMap<>(bound);
            for (int i = 0; i < variables.length; i++) {
                inner.put(variables[i], resolve(actual[i], bound));
            }
            bound = inner;
        } else if (type instanceof Class) {
            raw = (Class<?>) type;
        } else {
            return Optional.empty();
        }
        if (raw == generic) {
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] resolved = new Type[variables.length];
            for (int i = 0; i < variables.length; i++) {
                resolved[i] = bound.getOrDefault(variables[i], Object.class);
            }
            return Optional.of(resolved);
        }
        for (Type parent : raw.getGenericInterfaces()) {
            Optional<Type[]> found = find(parent, generic, bound);
            if (found.isPresent()) {
                return found;
            }
        }
        return raw.getGenericSuperclass() == null ? Optional.empty() : find(raw.getGenericSuperclass(), generic, bound);
    }

    /** A type variable stands for what it is bound to; an unbound one for Object, as erasure would make it. */
    static Type resolve(Type type, Map<TypeVariable<?>, Type> bound) {
        if (type instanceof TypeVariable) {
            return bound.getOrDefault(type, Object.class);
        }
        return type;
    }
}
