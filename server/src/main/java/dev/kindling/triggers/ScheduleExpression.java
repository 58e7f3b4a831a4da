package dev.kindling.triggers;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule's expression, to the minute: {@code rate(value unit)} or {@code cron(fields)} as EventBridge rules and
 * EventBridge Scheduler read them, and Scheduler's one-time {@code at(yyyy-mm-ddThh:mm:ss)}. Its occurrences are the
 * instants it fires at; cron and at read their fields in a time zone (UTC for rules).
 */
public sealed interface ScheduleExpression permits ScheduleExpression.Rate, ScheduleExpression.At, CronExpression {
    Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
    Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");

    /**
     * The first occurrence strictly after {@code after}, for a schedule that started at {@code start} (a rate counts
     * its periods from the minute it started in), with cron and at fields read in {@code zone}; empty if there is
     * none (an at() passed, a cron whose years are past).
     */
    Optional<Instant> nextAfter(Instant start, Instant after, ZoneId zone);

    /** {@link #nextAfter(Instant, Instant, ZoneId)} in UTC, as EventBridge rules run. */
    default Optional<Instant> nextAfter(Instant start, Instant after) {
        return nextAfter(start, after, ZoneOffset.UTC);
    }

    /** Parses a rule's expression (rate or cron); throws IllegalArgumentException saying what is wrong with it. */
    static ScheduleExpression parse(String text) {
        Matcher rate = RATE.matcher(text);
        if (rate.matches()) {
            return Rate.of(rate.group(1), rate.group(2));
        }
        Matcher cron = CRON.matcher(text);
        if (cron.matches()) {
            return CronExpression.parse(cron.group(1));
        }
        throw new IllegalArgumentException("a schedule is rate(value unit), such as rate(5 minutes), or cron(minutes"
                + " hours day-of-month month day-of-week year), such as cron(0 12 * * ? *)");
    }

    /** Parses a Scheduler expression: a rule's kinds, or at(yyyy-mm-ddThh:mm:ss). */
    static ScheduleExpression parseWithAt(String text) {
        Matcher at = AT.matcher(text);
        if (at.matches()) {
            try {
                return new At(LocalDateTime.parse(at.group(1)));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + at.group(1) + "' is not a date and time");
            }
        }
        if (text.startsWith("at(")) {
            throw new IllegalArgumentException("a one-time schedule is at(yyyy-mm-ddThh:mm:ss), such as"
                    + " at(2030-01-31T09:30:00), in the schedule's time zone");
        }
        return parse(text);
    }

    /** {@code rate(n unit)}: every {@code period}, counted from the minute the schedule started in. */
    record Rate(Duration period) implements ScheduleExpression {
        static Rate of(String value, String unit) {
            long n;
            try {
                n = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the rate's value " + value + " is too large");
            }
            if (n < 1) {
                throw new IllegalArgumentException("the rate's value must be a positive whole number");
            }
            boolean plural = unit.endsWith("s");
            if (n == 1 && plural || n > 1 && !plural) {
                throw new IllegalArgumentException("use a singular unit for 1 (rate(1 minute)) and a plural one"
                        + " otherwise (rate(5 minutes))");
            }
            ChronoUnit chrono = switch (unit.replaceFirst("s$", "")) {
                case "minute" -> ChronoUnit.MINUTES;
                case "hour" -> ChronoUnit.HOURS;
                default -> ChronoUnit.DAYS;
            };
            if (n > 3650L * 24 * 60 / (chrono.getDuration().toMinutes())) {
                throw new IllegalArgumentException("the rate's period is longer than ten years");
            }
            return new Rate(chrono.getDuration().multipliedBy(n));
        }

        @Override
        public Optional<Instant> nextAfter(Instant start, Instant after, ZoneId zone) {
            Instant first = start.truncatedTo(ChronoUnit.MINUTES);
            if (after.isBefore(first)) {
                return Optional.of(first.plus(period));
            }
            long periods = Duration.between(first, after).toMillis() / period.toMillis();
            return Optional.of(first.plus(period.multipliedBy(periods + 1)));
        }
    }

    /** {@code at(...)}: once, at that local time in the schedule's zone (a time a DST change skips moves forward). */
    record At(LocalDateTime time) implements ScheduleExpression {
        @Override
        public Optional<Instant> nextAfter(Instant start, Instant after, ZoneId zone) {
            Instant when = time.atZone(zone).toInstant();
            return when.isAfter(after) ? Optional.of(when) : Optional.empty();
        }
    }
}
