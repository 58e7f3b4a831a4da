package dev.kindling.javaruntime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON of plain values (maps, lists, strings, numbers, booleans) read and written exactly as AWS's Jackson factory
 * does, without it: building that factory costs hundreds of milliseconds of a cold start, and most handlers take a
 * Map or a String and return one. Integers become Integer, Long or BigInteger by size, fractions Double; maps keep
 * their order; a map entry whose value is null is left out on output, as AWS's factory leaves it out. Anything else
 * (POJOs, events, other types, a value that would need coercion, JSON this reader does not take) is left to
 * Jackson: {@link #read} and {@link #write} then answer empty or false.
 */
final class PlainJson {
    private static final Object FAIL = new Object();
    private static final java.util.regex.Pattern JSON_NUMBER = java.util.regex.Pattern.compile(
            "-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final byte[] in;
    private int pos;

    private PlainJson(byte[] in) {
        this.in = in;
    }

    /** The event as {@code type}, when it is a plain type and the JSON holds just such a value. */
    static Optional<Object> read(byte[] json, Type type) {
        Kind kind = Kind.of(type);
        if (kind == Kind.OTHER) {
            return Optional.empty();
        }
        PlainJson parser = new PlainJson(json);
        parser.skipSpace();
        Object value = parser.value(0);
        parser.skipSpace();
        if (value == FAIL || parser.pos != json.length) {
            return Optional.empty();
        }
        return kind.accept(value);
    }

    /** Whether events of {@code type} are read here (a plain type), not by Jackson. */
    static boolean reads(Type type) {
        return Kind.of(type) != Kind.OTHER;
    }

    /** Writes {@code value} when it is plain throughout; false, having written nothing, when it is not. */
    static boolean write(Object value, OutputStream out) {
        if (!isPlain(value, 0)) {
            return false;
        }
        StringBuilder text = new StringBuilder(64);
        append(value, text);
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    /** The target types this class reads, and what it accepts for each. */
    private enum Kind {
        ANY, MAP, LIST, STRING, INT, LONG, BOOLEAN, DOUBLE, OTHER;

        static Kind of(Type type) {
            if (type instanceof ParameterizedType) {
                ParameterizedType p = (ParameterizedType) type;
                Type[] args = p.getActualTypeArguments();
                if (p.getRawType() == Map.class && args[0] == String.class && args[1] == Object.class) {
                    return MAP;
                }
                return p.getRawType() == List.class && args[0] == Object.class ? LIST : OTHER;
            }
            if (type == Object.class) return ANY;
            if (type == Map.class) return MAP;
            if (type == List.class) return LIST;
            if (type == String.class) return STRING;
            if (type == Integer.class || type == int.class) return INT;
            if (type == Long.class || type == long.class) return LONG;
            if (type == Boolean.class || type == boolean.class) return BOOLEAN;
            if (type == Double.class || type == double.class) return DOUBLE;
            return OTHER;
        }

        Optional<Object> accept(Object value) {
            switch (this) {
                case ANY: return Optional.ofNullable(value); // JSON null: Jackson's to answer
                case MAP: return value instanceof Map ? Optional.of(value) : Optional.empty();
                case LIST: return value instanceof List ? Optional.of(value) : Optional.empty();
                case STRING: return value instanceof String ? Optional.of(value) : Optional.empty();
                case INT: return value instanceof Integer ? Optional.of(value) : Optional.empty();
                case LONG: return value instanceof Integer || value instanceof Long
                        ? Optional.of(((Number) value).longValue()) : Optional.empty();
                case BOOLEAN: return value instanceof Boolean ? Optional.of(value) : Optional.empty();
                case DOUBLE: return value instanceof Double ? Optional.of(value) : Optional.empty();
                default: return Optional.empty();
            }
        }
    }

    private static boolean isPlain(Object value, int depth) {
        if (depth > 100) {
            return false;
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof BigInteger) {
            return true;
        }
        if (value instanceof Double || value instanceof Float) {
            return Double.isFinite(((Number) value).doubleValue());
        }
        if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String) || !isPlain(e.getValue(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List) {
            for (Object item : (List<?>) value) {
                if (!isPlain(item, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static void append(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            Json.quote((String) value, out);
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (e.getValue() == null) {
                    continue;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                Json.quote((String) e.getKey(), out);
                out.append(':');
                append(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object item : (List<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                append(item, out);
            }
            out.append(']');
        } else {
            out.append(value); // Boolean, Integer, Long, BigInteger, Double, Float: Java's text is Jackson's
        }
    }

    private Object value(int depth) {
        if (pos >= in.length || depth > 100) {
            return FAIL;
        }
        byte c = in[pos];
        switch (c) {
            case '{': return object(depth);
            case '[': return array(depth);
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default: return c == '-' || c >= '0' && c <= '9' ? number() : FAIL;
        }
    }

    private Object object(int depth) {
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (pos < in.length && in[pos] == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (pos >= in.length || in[pos] != '"') {
                return FAIL;
            }
            Object key = string();
            skipSpace();
            if (key == FAIL || pos >= in.length || in[pos++] != ':') {
                return FAIL;
            }
            skipSpace();
            Object item = value(depth + 1);
            if (item == FAIL) {
                return FAIL;
            }
            map.put((String) key, item);
            skipSpace();
            if (pos >= in.length) {
                return FAIL;
            }
            byte next = in[pos++];
            if (next == '}') {
                return map;
            }
            if (next != ',') {
                return FAIL;
            }
        }
    }

    private Object array(int depth) {
        pos++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (pos < in.length && in[pos] == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            Object item = value(depth + 1);
            if (item == FAIL) {
                return FAIL;
            }
            list.add(item);
            skipSpace();
            if (pos >= in.length) {
                return FAIL;
            }
            byte next = in[pos++];
            if (next == ']') {
                return list;
            }
            if (next != ',') {
                return FAIL;
            }
        }
    }

    private Object string() {
        pos++;
        StringBuilder text = null; // only for a string with escapes
        int start = pos;
        while (pos < in.length) {
            byte c = in[pos];
            if (c == '"') {
                String run = new String(in, start, pos - start, StandardCharsets.UTF_8);
                pos++;
                return text == null ? run : text.append(run).toString();
            }
            if (c >= 0 && c < 0x20) {
                return FAIL;
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            // An escape is ASCII: the bytes before it are whole UTF-8 characters.
            if (text == null) {
                text = new StringBuilder();
            }
            text.append(new String(in, start, pos - start, StandardCharsets.UTF_8));
            if (pos + 1 >= in.length) {
                return FAIL;
            }
            byte escaped = in[pos + 1];
            pos += 2;
            switch (escaped) {
                case '"': text.append('"'); break;
                case '\\': text.append('\\'); break;
                case '/': text.append('/'); break;
                case 'b': text.append('\b'); break;
                case 'f': text.append('\f'); break;
                case 'n': text.append('\n'); break;
                case 'r': text.append('\r'); break;
                case 't': text.append('\t'); break;
                case 'u':
                    if (pos + 4 > in.length) {
                        return FAIL;
                    }
                    try {
                        text.append((char) Integer.parseInt(new String(in, pos, 4, StandardCharsets.US_ASCII), 16));
                    } catch (NumberFormatException e) {
                        return FAIL;
                    }
                    pos += 4;
                    break;
                default: return FAIL;
            }
            start = pos;
        }
        return FAIL;
    }

    private Object literal(String word, Object value) {
        byte[] expected = word.getBytes(StandardCharsets.US_ASCII);
        if (pos + expected.length > in.length) {
            return FAIL;
        }
        for (int i = 0; i < expected.length; i++) {
            if (in[pos + i] != expected[i]) {
                return FAIL;
            }
        }
        pos += expected.length;
        return value;
    }

    private Object number() {
        int start = pos;
        boolean fraction = false;
        if (in[pos] == '-') {
            pos++;
        }
        while (pos < in.length) {
            byte c = in[pos];
            if (c >= '0' && c <= '9') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                fraction = true;
                pos++;
            } else {
                break;
            }
        }
        String text = new String(in, start, pos - start, StandardCharsets.US_ASCII);
        if (text.equals("-") || text.startsWith("-0") && text.length() > 2 && !fraction
                || text.startsWith("0") && text.length() > 1 && text.charAt(1) != '.' && !fraction) {
            return FAIL; // leading zeros: Jackson refuses them; let it say so
        }
        try {
            if (fraction) {
                return JSON_NUMBER.matcher(text).matches() ? Double.parseDouble(text) : FAIL;
            }
            BigInteger big = new BigInteger(text);
            if (big.bitLength() < 32) {
                return big.intValue();
            }
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        } catch (NumberFormatException e) {
            return FAIL;
        }
    }

    private void skipSpace() {
        while (pos < in.length && (in[pos] == ' ' || in[pos] == '\n' || in[pos] == '\r' || in[pos] == '\t')) {
            pos++;
        }
    }
}
