package dev.kindling.telemetry;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hours a usage statement covers, [{@code from}, {@code to}) in UTC. Usage is kept by the hour, so a period
 * starts at the start of an hour: {@code --since 90m} at 10:20 counts from 08:00.
 */
public record UsagePeriod(Instant from, Instant to) {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})([mhdw])");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuu-MM")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final String SINCE_FORMS = "a duration (30m, 12h, 7d, 2w, or ISO-8601 such as PT12H), a date"
            + " (2026-12-01) or a time (2026-12-01T10:00:00Z)";

    /** A period that cannot be: a malformed month or start, one in the future, or both given. */
    public static final class InvalidPeriodException extends IllegalArgumentException {
        InvalidPeriodException(String message) {
            super(message);
        }
    }

    public UsagePeriod {
        if (!from.isBefore(to)) {
            throw new InvalidPeriodException("a period must start before it ends: " + from + " is not before " + to);
        }
    }

    /** A calendar month, UTC. */
    public static UsagePeriod of(YearMonth month) {
        return new UsagePeriod(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /**
     * The period a caller asked for: since a duration ago or a date or time, up to the end of the current hour; a
     * calendar month; by default the current month.
     *
     * @throws InvalidPeriodException with a message that says what is wrong and what is accepted
     */
    public static UsagePeriod parse(Optional<String> since, Optional<String> month, Clock clock) {
        if (since.isPresent() && month.isPresent()) {
            throw new InvalidPeriodException("give since or month, not both");
        }
        Instant now = clock.instant();
        if (month.isPresent()) {
            return of(parseMonth(month.get()));
        }
        Instant endOfThisHour = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        if (since.isPresent()) {
            Instant start = parseSince(since.get().trim(), now);
            if (start.isAfter(now)) {
                throw new InvalidPeriodException("since '" + since.get() + "' is in the future");
            }
            return new UsagePeriod(start.truncatedTo(ChronoUnit.HOURS), endOfThisHour);
        }
        return of(YearMonth.from(now.atZone(ZoneOffset.UTC)));
    }

    static YearMonth parseMonth(String text) {
        try {
            return YearMonth.parse(text.trim(), MONTH);
        } catch (DateTimeParseException e) {
            throw new InvalidPeriodException("month must be a calendar month as YYYY-MM (such as 2026-12), not '"
                    + text + "'");
        }
    }

    private static Instant parseSince(String text, Instant now) {
        Matcher shortForm = SHORT_DURATION.matcher(text);
        try {
            if (shortForm.matches()) {
                long amount = Long.parseLong(shortForm.group(1));
                ChronoUnit unit = switch (shortForm.group(2)) {
                    case "m" -> ChronoUnit.MINUTES;
                    case "h" -> ChronoUnit.HOURS;
                    case "d" -> ChronoUnit.DAYS;
                    default -> ChronoUnit.WEEKS;
                };
                return now.minus(unit.getDuration().multipliedBy(amount));
            }
            if (text.startsWith("P") || text.startsWith("p")) {
                Duration ago = Duration.parse(text);
                if (ago.isNegative()) {
                    throw new InvalidPeriodException("since '" + text + "' is a negative duration");
                }
                return now.minus(ago);
            }
            if (text.contains("T")) {
                return Instant.parse(text);
            }
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException | ArithmeticException e) {
            throw new InvalidPeriodException("since must be " + SINCE_FORMS + ", not '" + text + "'");
        }
    }
}
