package dev.kindling.telemetry;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How an event is kept in a segment file: one line of {@code <timestamp> <ingestionTime> <message>}, the message's
 * backslashes and newlines escaped ({@code \\}, {@code \n}) so a line is always one event. A line without its
 * newline is one still being written, and is not read.
 */
final class EventLines {
    private EventLines() {}

    static byte[] encode(long timestamp, long ingestionTime, String message) {
        StringBuilder line = new StringBuilder(message.length() + 32).append(timestamp).append(' ')
                .append(ingestionTime).append(' ');
        if (message.indexOf('\\') < 0 && message.indexOf('\n') < 0) {
            line.append(message);
        } else {
            for (int i = 0; i < message.length(); i++) {
                char c = message.charAt(i);
                if (c == '\\') {
                    line.append("\\\\");
                } else if (c == '\n') {
                    line.append("\\n");
                } else {
                    line.append(c);
                }
            }
        }
        return line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The event a stored line holds (without its newline); empty for a line that is not one (a damaged file). */
    static Optional<LogEvent> decode(String line, LogEvent.EventPosition position) {
        int first = line.indexOf(' ');
        int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
        if (second < 0) {
            return Optional.empty();
        }
        try {
            long timestamp = Long.parseLong(line, 0, first, 10);
            long ingestion = Long.parseLong(line, first + 1, second, 10);
            return Optional.of(new LogEvent(timestamp, ingestion, unescape(line.substring(second + 1)), position));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
