package dev.kindling.triggers;

import dev.kindling.store.ScheduleRecord;
import dev.kindling.store.ScheduleRepository;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * EventBridge Scheduler's schedules (of the default group): what exists, checked as AWS checks it. Firing them is
 * {@link ScheduleRunner}'s job.
 */
public final class Schedules {
    public static final String DEFAULT_GROUP = "default";
    private final ScheduleRepository repository;
    private final String region;
    private final String accountId;
    private final Clock clock;

    public Schedules(ScheduleRepository repository, String region, String accountId, Clock clock) {
        this.repository = repository;
        this.region = region;
        this.accountId = accountId;
        this.clock = clock;
    }

    public String arn(ScheduleRecord.Key key) {
        return "arn:aws:scheduler:" + region + ":" + accountId + ":schedule/" + key.group() + "/" + key.name();
    }

    String region() {
        return region;
    }

    String accountId() {
        return accountId;
    }

    public String create(ScheduleRecord.Key key, ScheduleSpec spec) {
        group(key.group());
        Instant now = clock.instant();
        spec.check(region, accountId, now);
        ScheduleRecord record = new ScheduleRecord(key, timing(spec, spec.startDate().orElse(now)), state(spec),
                spec.definition().toString(), now, now, Optional.empty());
        if (!repository.insert(record)) {
            throw SchedulerException.conflict("Schedule " + key.name() + " already exists.");
        }
        return arn(key);
    }

    /**
     * Replaces the schedule whole, as UpdateSchedule does. A schedule whose expression, time zone and start stay
     * keeps its rhythm and its last fire time; otherwise it starts again from now (or its new StartDate).
     */
    public String update(ScheduleRecord.Key key, ScheduleSpec spec) {
        ScheduleRecord current = get(key);
        Instant now = clock.instant();
        spec.check(region, accountId, now);
        boolean sameTiming = current.timing().expression().equals(spec.expression())
                && current.timing().timezone().equals(spec.timezone())
                && spec.startDate().map(s -> s.equals(current.timing().start())).orElse(true);
        Instant start = spec.startDate().orElse(sameTiming ? current.timing().start() : now);
        ScheduleRecord record = new ScheduleRecord(key, timing(spec, start), state(spec), spec.definition().toString(),
                current.created(), now, sameTiming ? current.lastFired() : Optional.empty());
        if (!repository.replace(record)) {
            throw notFound(key);
        }
        return arn(key);
    }

    public ScheduleRecord get(ScheduleRecord.Key key) {
        group(key.group());
        return repository.find(key).orElseThrow(() -> notFound(key));
    }

    public void delete(ScheduleRecord.Key key) {
        group(key.group());
        if (!repository.delete(key)) {
            throw notFound(key);
        }
    }

    /** One page of ListSchedules, and the token of the next page if there is one. */
    public record Page(List<ScheduleRecord> schedules, Optional<String> nextToken) {}

    public Page list(String group, Optional<String> prefix, Optional<String> state, Optional<String> nextToken,
            int maxResults) {
        group(group);
        String after = nextToken.map(Schedules::decode).orElse("");
        List<ScheduleRecord> matching = repository.list(group).stream()
                .filter(s -> prefix.map(p -> s.key().name().startsWith(p)).orElse(true))
                .filter(s -> state.map(st -> s.state().equals(st)).orElse(true))
                .filter(s -> after.isEmpty() || s.key().name().compareTo(after) > 0).toList();
        if (matching.size() <= maxResults) {
            return new Page(matching, Optional.empty());
        }
        List<ScheduleRecord> page = matching.subList(0, maxResults);
        return new Page(page, Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(
                page.getLast().key().name().getBytes(StandardCharsets.UTF_8))));
    }

    /** Every enabled schedule, for the runner. */
    List<ScheduleRecord> enabled() {
        return repository.enabled();
    }

    void recordFired(ScheduleRecord.Key key, Instant occurrence) {
        repository.recordFired(key, occurrence);
    }

    /** ActionAfterCompletion DELETE, once the schedule will not fire again. */
    void completed(ScheduleRecord.Key key) {
        repository.delete(key);
    }

    private static ScheduleRecord.Timing timing(ScheduleSpec spec, Instant start) {
        return new ScheduleRecord.Timing(spec.expression(), spec.timezone(), start, spec.endDate());
    }

    private static String state(ScheduleSpec spec) {
        return spec.enabled() ? "ENABLED" : "DISABLED";
    }

    private static void group(String group) {
        if (!group.equals(DEFAULT_GROUP)) {
            throw SchedulerException.notFound("Schedule group " + group + " does not exist.");
        }
    }

    private static SchedulerException notFound(ScheduleRecord.Key key) {
        return SchedulerException.notFound("Schedule " + key.name() + " does not exist.");
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SchedulerException.validation("Invalid NextToken: pass the NextToken of a previous ListSchedules"
                    + " response.");
        }
    }
}
