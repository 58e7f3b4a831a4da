package dev.kindling.telemetry;

/**
 * One event of a log stream.
 *
 * @param timestamp when the line was written (captured output) or what PutLogEvents said, in epoch milliseconds
 * @param ingestionTime when Kindling stored it, in epoch milliseconds
 * @param position where it is stored: a key that orders the events of one stream as they were stored
 */
public record LogEvent(long timestamp, long ingestionTime, String message, EventPosition position) {

    /** An event's place in its stream: the segment file (named by when it began) and the byte offset in it. */
    public record EventPosition(long segment, long offset) implements Comparable<EventPosition> {
        @Override
        public int compareTo(EventPosition other) {
            int bySegment = Long.compare(segment, other.segment);
            return bySegment != 0 ? bySegment : Long.compare(offset, other.offset);
        }
    }
}
