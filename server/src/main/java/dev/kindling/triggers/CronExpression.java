package dev.kindling.triggers;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * {@code cron(Minutes Hours Day-of-month Month Day-of-week Year)} as EventBridge reads it, in UTC: each field takes
 * {@code *}, values, ranges {@code a-b}, lists {@code a,b} and steps {@code a/n} or {@code a-b/n}; months may be
 * JAN-DEC and days of the week SUN-SAT (1-7, Sunday first). Exactly one of the two day fields is {@code ?}. The
 * day-of-month also takes {@code L} (the month's last day) and {@code nW} (the weekday nearest day n, within the
 * month); the day-of-week {@code L} (Saturday), {@code nL} (the month's last such day) and {@code n#k} (its k-th).
 */
public record CronExpression(BitSet minutes, BitSet hours, DaysOfMonth daysOfMonth, BitSet months,
        DaysOfWeek daysOfWeek, BitSet years) implements ScheduleExpression {
    static final int FIRST_YEAR = 1970;
    static final int LAST_YEAR = 2199;
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
            "SEP", "OCT", "NOV", "DEC");
    private static final List<String> WEEKDAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    /** Parses the six fields between {@code cron(} and {@code )}. */
    static CronExpression parse(String fields) {
        String[] f = fields.trim().split("\\s+");
        if (f.length != 6) {
            throw new IllegalArgumentException("a cron expression has six fields (minutes hours day-of-month month"
                    + " day-of-week year), not " + f.length);
        }
        boolean domAny = f[2].equals("?");
        boolean dowAny = f[4].equals("?");
        if (domAny == dowAny) {
            throw new IllegalArgumentException("exactly one of day-of-month and day-of-week must be '?'");
        }
        return new CronExpression(
                new Field("minutes", 0, 59, List.of()).parse(f[0]),
                new Field("hours", 0, 23, List.of()).parse(f[1]),
                domAny ? DaysOfMonth.ANY : DaysOfMonth.parse(f[2]),
                new Field("month", 1, 12, MONTHS).parse(f[3]),
                dowAny ? DaysOfWeek.ANY : DaysOfWeek.parse(f[4]),
                new Field("year", FIRST_YEAR, LAST_YEAR, List.of()).parse(f[5]));
    }

    /**
     * The start plays no part: a cron names its minutes, read in {@code zone} (a local time a DST change skips moves
     * forward by the gap; one it repeats runs once, at its first occurrence).
     */
    @Override
    public Optional<Instant> nextAfter(Instant start, Instant after, ZoneId zone) {
        LocalDateTime from = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDate day = from.toLocalDate();
        while (day.getYear() <= LAST_YEAR) {
            if (!years.get(day.getYear())) {
                day = LocalDate.of(day.getYear() + 1, 1, 1);
            } else if (!months.get(day.getMonthValue())) {
                day = day.withDayOfMonth(1).plusMonths(1);
            } else if (!daysOfMonth.matches(day) || !daysOfWeek.matches(day)) {
                day = day.plusDays(1);
            } else {
                Optional<LocalDateTime> time = firstTimeOn(day, day.equals(from.toLocalDate()) ? from.getHour() * 60
                        + from.getMinute() : 0);
                if (time.isPresent()) {
                    Instant instant = time.get().atZone(zone).toInstant();
                    if (instant.isAfter(after)) {
                        return Optional.of(instant);
                    }
                    from = time.get().plusMinutes(1); // repeated by a DST change: that minute ran already
                    day = from.toLocalDate();
                    continue;
                }
                day = day.plusDays(1);
            }
        }
        return Optional.empty();
    }

    /** The day's first hour and minute in the expression at or after {@code fromMinuteOfDay}. */
    private Optional<LocalDateTime> firstTimeOn(LocalDate day, int fromMinuteOfDay) {
        for (int h = hours.nextSetBit(fromMinuteOfDay / 60); h >= 0; h = hours.nextSetBit(h + 1)) {
            int m = minutes.nextSetBit(h == fromMinuteOfDay / 60 ? fromMinuteOfDay % 60 : 0);
            if (m >= 0) {
                return Optional.of(day.atTime(h, m));
            }
        }
        return Optional.empty();
    }

    /** One numeric field: its name for messages, its bounds, and the names its values may go by (index 0 = min). */
    private record Field(String name, int min, int max, List<String> names) {
        BitSet parse(String text) {
            BitSet values = new BitSet();
            for (String item : text.split(",", -1)) {
                add(item, values);
            }
            return values;
        }

        private void add(String item, BitSet values) {
            String range = item;
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = number(item.substring(slash + 1), 1, max - min + 1, "step");
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2) {
                    throw invalid(item);
                }
                from = value(ends[0]);
                to = value(ends[1]);
                if (from > to) {
                    throw new IllegalArgumentException("the range " + range + " in the " + name + " field runs"
                            + " backwards");
                }
            } else {
                from = value(range);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                values.set(v);
            }
        }

        private int value(String text) {
            int named = names.indexOf(text.toUpperCase(java.util.Locale.ROOT));
            return named >= 0 ? min + named : number(text, min, max, "value");
        }

        private int number(String text, int low, int high, String what) {
            if (!text.matches("\\d{1,4}")) {
                throw invalid(text);
            }
            int v = Integer.parseInt(text);
            if (v < low || v > high) {
                throw new IllegalArgumentException("the " + what + " " + v + " in the " + name + " field is outside "
                        + low + "-" + high);
            }
            return v;
        }

        private IllegalArgumentException invalid(String text) {
            return new IllegalArgumentException("'" + text + "' is not valid in the " + name + " field");
        }
    }

    /**
     * The day-of-month field: days of the month, or the last day ({@code L}), or the weekdays nearest some days
     * ({@code nW}).
     */
    record DaysOfMonth(BitSet days, boolean last, BitSet nearestWeekdays, boolean any) {
        static final DaysOfMonth ANY = new DaysOfMonth(new BitSet(), false, new BitSet(), true);

        static DaysOfMonth parse(String text) {
            BitSet days = new BitSet();
            BitSet weekdays = new BitSet();
            boolean last = false;
            Field field = new Field("day-of-month", 1, 31, List.of());
            for (String item : text.split(",", -1)) {
                if (item.equals("L")) {
                    last = true;
                } else if (item.matches("\\d{1,2}W")) {
                    weekdays.set(field.value(item.substring(0, item.length() - 1)));
                } else {
                    field.add(item, days);
                }
            }
            return new DaysOfMonth(days, last, weekdays, false);
        }

        boolean matches(LocalDate day) {
            if (any || days.get(day.getDayOfMonth())) {
                return true;
            }
            if (last && day.getDayOfMonth() == day.lengthOfMonth()) {
                return true;
            }
            for (int n = nearestWeekdays.nextSetBit(0); n >= 0; n = nearestWeekdays.nextSetBit(n + 1)) {
                if (n <= day.lengthOfMonth() && nearestWeekday(day.withDayOfMonth(n)).equals(day)) {
                    return true;
                }
            }
            return false;
        }

        /** The weekday nearest {@code target} without leaving its month (Quartz's and EventBridge's W). */
        private static LocalDate nearestWeekday(LocalDate target) {
            return switch (target.getDayOfWeek()) {
                case SATURDAY -> target.getDayOfMonth() == 1 ? target.plusDays(2) : target.minusDays(1);
                case SUNDAY -> target.getDayOfMonth() == target.lengthOfMonth() ? target.minusDays(2)
                        : target.plusDays(1);
                default -> target;
            };
        }
    }

    /**
     * The day-of-week field (1-7, Sunday first): days of the week, the last of a day in the month ({@code nL};
     * {@code L} alone is Saturday, the week's last day), or the k-th of a day in the month ({@code n#k}).
     */
    record DaysOfWeek(BitSet days, BitSet lastInMonth, List<Nth> nth, boolean any) {
        /** The {@code k}-th {@code weekday} of a month ({@code weekday#k}). */
        record Nth(int weekday, int k) {}

        static final DaysOfWeek ANY = new DaysOfWeek(new BitSet(), new BitSet(), List.of(), true);

        static DaysOfWeek parse(String text) {
            BitSet days = new BitSet();
            BitSet lastInMonth = new BitSet();
            java.util.ArrayList<Nth> nth = new java.util.ArrayList<>();
            Field field = new Field("day-of-week", 1, 7, WEEKDAYS);
            for (String item : text.split(",", -1)) {
                if (item.equals("L")) {
                    days.set(7);
                } else if (item.endsWith("L") && item.length() > 1) {
                    lastInMonth.set(field.value(item.substring(0, item.length() - 1)));
                } else if (item.contains("#")) {
                    String[] parts = item.split("#", -1);
                    if (parts.length != 2) {
                        throw field.invalid(item);
                    }
                    nth.add(new Nth(field.value(parts[0]), new Field("day-of-week's #", 1, 5, List.of())
                            .value(parts[1])));
                } else {
                    field.add(item, days);
                }
            }
            return new DaysOfWeek(days, lastInMonth, List.copyOf(nth), false);
        }

        boolean matches(LocalDate day) {
            int weekday = day.getDayOfWeek().getValue() % 7 + 1; // SUN=1 ... SAT=7
            if (any || days.get(weekday)) {
                return true;
            }
            if (lastInMonth.get(weekday) && day.plusWeeks(1).getMonthValue() != day.getMonthValue()) {
                return true;
            }
            int week = (day.getDayOfMonth() - 1) / 7 + 1;
            return nth.stream().anyMatch(n -> n.weekday() == weekday && n.k() == week);
        }
    }
}
