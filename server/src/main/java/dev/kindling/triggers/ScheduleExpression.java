package dev.kindling.triggers;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's ScheduleExpression: {@code rate(value unit)} or {@code cron(fields)} in EventBridge's syntax, always in
 * UTC, to the minute. Its occurrences are the instants it fires at.
 */
public sealed interface ScheduleExpression permits ScheduleExpression.Rate, CronExpression {
    Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
    Pattern CRON = Pattern.compile("cron\\((.*)\\)");

    /**
     * The first occurrence strictly after {@code after}, for a schedule that started at {@code start} (a rate counts
     * its periods from the minute it started in); empty if there is none (a cron whose years are past).
     */
    Optional<Instant> nextAfter(Instant start, Instant after);

    /** Parses {@code text}; throws IllegalArgumentException saying what is wrong with it. */
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
        public Optional<Instant> nextAfter(Instant start, Instant after) {
            Instant first = start.truncatedTo(ChronoUnit.MINUTES);
            if (after.isBefore(first)) {
                return Optional.of(first.plus(period));
            }
            long periods = Duration.between(first, after).toMillis() / period.toMillis();
            return Optional.of(first.plus(period.multipliedBy(periods + 1)));
        }
    }
}
