package dev.kindling.javaruntime;

/**
 * The little JSON the runtime writes itself (error bodies, log lines, plain values): quoted strings, escaped as AWS's
 * Jackson factory escapes them (short escapes, else \\u with upper-case hex for control characters and surrogates).
 */
final class Json {
    private Json() {}

    static void quote(String text, StringBuilder into) {
        into.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': into.append("\\\""); break;
                case '\\': into.append("\\\\"); break;
                case '\n': into.append("\\n"); break;
                case '\r': into.append("\\r"); break;
                case '\t': into.append("\\t"); break;
                case '\b': into.append("\\b"); break;
                case '\f': into.append("\\f"); break;
                default:
                    if (c < 0x20 || Character.isSurrogate(c)) { // as AWS's Jackson writes them
                        into.append(String.format("\\u%04X", (int) c));
                    } else {
                        into.append(c);
                    }
            }
        }
        into.append('"');
    }

    static String quote(String text) {
        StringBuilder into = new StringBuilder(text.length() + 2);
        quote(text, into);
        return into.toString();
    }
}
