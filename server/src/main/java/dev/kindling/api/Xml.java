package dev.kindling.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes the XML of the query protocol's answers (IAM, STS): elements in order, text escaped, timestamps in ISO 8601
 * to the second, lists as {@code <member>} elements, as the SDKs' query parsers read them.
 */
final class Xml {
    private final StringBuilder out = new StringBuilder();

    Xml open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    Xml close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    Xml text(String name, String value) {
        return open(name).raw(escape(value)).close(name);
    }

    Xml text(String name, java.util.Optional<String> value) {
        value.ifPresent(v -> text(name, v));
        return this;
    }

    Xml number(String name, long value) {
        return text(name, Long.toString(value));
    }

    Xml bool(String name, boolean value) {
        return text(name, Boolean.toString(value));
    }

    Xml time(String name, Instant value) {
        return text(name, value.truncatedTo(ChronoUnit.SECONDS).toString());
    }

    Xml raw(String xml) {
        out.append(xml);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                case '\r' -> escaped.append("&#13;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
