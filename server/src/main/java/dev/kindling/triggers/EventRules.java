package dev.kindling.triggers;

import dev.kindling.store.EventBusRecord;
import dev.kindling.store.EventRuleRecord;
import dev.kindling.store.EventRuleRepository;
import dev.kindling.store.EventTargetRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * EventBridge's event buses, rules and targets: what exists, checked as AWS checks it (a rule's schedule and pattern
 * parse, buses and rules exist, a rule with targets is not deleted), with AWS's ARNs. The shapes of requests are
 * the api's business; what rules do with events is {@link EventRouting}'s and {@link RuleScheduler}'s.
 */
public final class EventRules {
    public static final String DEFAULT_BUS = "default";
    /** AWS's quota of targets per rule. */
    static final int MAX_TARGETS = 5;
    private final EventRuleRepository repository;
    private final String region;
    private final String accountId;
    private final Clock clock;

    /** Opens the rules of {@code repository}, adding the default bus at the first start. */
    public EventRules(EventRuleRepository repository, String region, String accountId, Clock clock) {
        this.repository = repository;
        this.region = region;
        this.accountId = accountId;
        this.clock = clock;
        if (repository.bus(DEFAULT_BUS).isEmpty()) {
            repository.insertBus(new EventBusRecord(DEFAULT_BUS, Optional.empty(), clock.instant()));
        }
    }

    public String region() {
        return region;
    }

    public String accountId() {
        return accountId;
    }

    // ---- buses

    public String busArn(String bus) {
        return "arn:aws:events:" + region + ":" + accountId + ":event-bus/" + bus;
    }

    /** The bus a request names by name or ARN; the default bus when it names none. */
    public String busName(Optional<String> nameOrArn) {
        String given = nameOrArn.orElse(DEFAULT_BUS);
        int slash = given.startsWith("arn:") ? given.indexOf(":event-bus/") : -1;
        return slash < 0 ? given : given.substring(slash + ":event-bus/".length());
    }

    public EventBusRecord createBus(String name, Optional<String> description, Map<String, String> tags) {
        if (name.equals(DEFAULT_BUS)) {
            throw new EventsException("ResourceAlreadyExistsException", "Event bus default already exists.");
        }
        if (name.contains("/")) {
            throw EventsException.validation("Event bus name must not contain '/'.");
        }
        EventBusRecord bus = new EventBusRecord(name, description, clock.instant());
        if (!repository.insertBus(bus)) {
            throw new EventsException("ResourceAlreadyExistsException", "Event bus " + name + " already exists.");
        }
        repository.tag(name, "", tags);
        return bus;
    }

    public void deleteBus(String name) {
        if (name.equals(DEFAULT_BUS)) {
            throw EventsException.validation("Cannot delete event bus default.");
        }
        repository.deleteBus(name); // deleting a bus that is gone succeeds, as on AWS
    }

    public EventBusRecord bus(String name) {
        return repository.bus(name).orElseThrow(() -> EventsException.busNotFound(name));
    }

    public Page<EventBusRecord> buses(Optional<String> prefix, Optional<String> nextToken, int limit) {
        return page(repository.buses(), EventBusRecord::name, prefix, nextToken, limit);
    }

    // ---- rules

    public String ruleArn(EventRuleRecord.Key key) {
        String path = key.bus().equals(DEFAULT_BUS) ? key.name() : key.bus() + "/" + key.name();
        return "arn:aws:events:" + region + ":" + accountId + ":rule/" + path;
    }

    /**
     * Creates or updates a rule. Its schedule restarts when its expression changes; an unchanged one keeps its
     * rhythm and its last fire time.
     */
    public String putRule(EventRuleRecord.Key key, EventRuleRecord.Spec spec, Map<String, String> tags) {
        if (spec.eventPattern().isEmpty() && spec.scheduleExpression().isEmpty()) {
            throw EventsException.validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }
        spec.eventPattern().ifPresent(EventPattern::parse);
        if (spec.scheduleExpression().isPresent()) {
            try {
                ScheduleExpression.parse(spec.scheduleExpression().get());
            } catch (IllegalArgumentException e) {
                throw EventsException.validation("Parameter ScheduleExpression is not valid. Reason: "
                        + e.getMessage() + ".");
            }
            if (!key.bus().equals(DEFAULT_BUS)) {
                throw EventsException.validation("ScheduleExpression is supported only on the default event bus.");
            }
        }
        bus(key.bus());
        Optional<EventRuleRecord> existing = repository.rule(key);
        boolean sameSchedule = existing.map(r -> r.spec().scheduleExpression().equals(spec.scheduleExpression()))
                .orElse(false);
        repository.putRule(new EventRuleRecord(key, spec,
                sameSchedule ? existing.get().scheduleStart() : clock.instant(),
                sameSchedule ? existing.get().lastFired() : Optional.empty()));
        repository.tag(key.bus(), key.name(), tags);
        return ruleArn(key);
    }

    public EventRuleRecord rule(EventRuleRecord.Key key) {
        bus(key.bus());
        return repository.rule(key).orElseThrow(() -> EventsException.ruleNotFound(key.name(), key.bus()));
    }

    public Page<EventRuleRecord> rules(String bus, Optional<String> prefix, Optional<String> nextToken, int limit) {
        bus(bus);
        return page(repository.rules(bus), r -> r.key().name(), prefix, nextToken, limit);
    }

    /** Sets the rule's state; a schedule enabled again fires from its next occurrence, none that it missed. */
    public void setState(EventRuleRecord.Key key, String state) {
        EventRuleRecord rule = rule(key);
        EventRuleRecord.Spec spec = rule.spec();
        repository.putRule(new EventRuleRecord(key, new EventRuleRecord.Spec(spec.eventPattern(),
                spec.scheduleExpression(), state, spec.description(), spec.roleArn()), rule.scheduleStart(),
                rule.lastFired()));
    }

    public void deleteRule(EventRuleRecord.Key key) {
        bus(key.bus());
        if (repository.deleteRule(key) == EventRuleRepository.Deletion.HAS_TARGETS) {
            throw EventsException.validation("Rule can't be deleted since it has targets.");
        }
    }

    // ---- targets

    /** Adds or replaces the rule's targets (checked by {@link RuleTarget#parse} already), up to AWS's five. */
    public void putTargets(EventRuleRecord.Key key, List<RuleTarget> targets) {
        rule(key);
        List<String> ids = repository.targets(key).stream().map(EventTargetRecord::id).toList();
        long added = targets.stream().map(RuleTarget::id).distinct().filter(id -> !ids.contains(id)).count();
        if (ids.size() + added > MAX_TARGETS) {
            throw new EventsException("LimitExceededException", "The requested resource exceeds the maximum number"
                    + " allowed. A rule can have at most " + MAX_TARGETS + " targets.");
        }
        if (!repository.putTargets(key, targets.stream().map(RuleTarget::record).toList())) {
            throw EventsException.ruleNotFound(key.name(), key.bus());
        }
    }

    public void removeTargets(EventRuleRecord.Key key, Collection<String> ids) {
        rule(key);
        repository.removeTargets(key, ids);
    }

    public Page<EventTargetRecord> targets(EventRuleRecord.Key key, Optional<String> nextToken, int limit) {
        rule(key);
        return page(repository.targets(key), EventTargetRecord::id, Optional.empty(), nextToken, limit);
    }

    /** The targets of a rule, for delivery. */
    List<EventTargetRecord> targetsOf(EventRuleRecord.Key key) {
        return repository.targets(key);
    }

    public Page<String> ruleNamesByTarget(String bus, String arn, Optional<String> nextToken, int limit) {
        bus(bus);
        return page(repository.rulesTargeting(bus, arn), Function.identity(), Optional.empty(), nextToken, limit);
    }

    /** The rules on a bus, for routing its events. */
    List<EventRuleRecord> rulesOn(String bus) {
        return repository.rules(bus);
    }

    /** Every enabled scheduled rule, for the scheduler. */
    List<EventRuleRecord> enabledSchedules() {
        return repository.enabledSchedules();
    }

    void recordFired(EventRuleRecord.Key key, java.time.Instant occurrence) {
        repository.recordFired(key, occurrence);
    }

    // ---- tags

    public Map<String, String> tags(String arn) {
        EventRuleRecord.Key key = taggable(arn);
        return repository.tags(key.bus(), key.name());
    }

    public void tag(String arn, Map<String, String> tags) {
        EventRuleRecord.Key key = taggable(arn);
        repository.tag(key.bus(), key.name(), tags);
    }

    public void untag(String arn, Collection<String> keys) {
        EventRuleRecord.Key key = taggable(arn);
        repository.untag(key.bus(), key.name(), keys);
    }

    /** The bus (a key with an empty rule name) or rule an ARN of this endpoint names, checked to exist. */
    private EventRuleRecord.Key taggable(String arn) {
        String prefix = "arn:aws:events:" + region + ":" + accountId + ":";
        String resource = arn.startsWith(prefix) ? arn.substring(prefix.length()) : "";
        if (resource.startsWith("event-bus/")) {
            return new EventRuleRecord.Key(bus(resource.substring("event-bus/".length())).name(), "");
        }
        if (resource.startsWith("rule/")) {
            String path = resource.substring("rule/".length());
            int slash = path.lastIndexOf('/');
            EventRuleRecord.Key key = slash < 0 ? new EventRuleRecord.Key(DEFAULT_BUS, path)
                    : new EventRuleRecord.Key(path.substring(0, slash), path.substring(slash + 1));
            return rule(key).key();
        }
        throw EventsException.validation("Parameter ResourceARN is not valid. Reason: give the ARN of an event bus"
                + " (" + prefix + "event-bus/<name>) or a rule (" + prefix + "rule/<name>).");
    }

    // ---- paging

    /** One page of a list operation, and the token of the next page if there is one. */
    public record Page<T>(List<T> items, Optional<String> nextToken) {}

    /** A page of {@code all} (in key order), after the key the token holds, of the keys with {@code prefix}. */
    private static <T> Page<T> page(List<T> all, Function<T, String> keyOf, Optional<String> prefix,
            Optional<String> nextToken, int limit) {
        String after = nextToken.map(EventRules::decodeToken).orElse("");
        List<T> matching = all.stream().filter(t -> prefix.map(p -> keyOf.apply(t).startsWith(p)).orElse(true))
                .filter(t -> after.isEmpty() || keyOf.apply(t).compareTo(after) > 0).toList();
        if (matching.size() <= limit) {
            return new Page<>(matching, Optional.empty());
        }
        List<T> items = matching.subList(0, limit);
        return new Page<>(items, Optional.of(encodeToken(keyOf.apply(items.getLast()))));
    }

    private static String encodeToken(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw EventsException.validation("The NextToken '" + token + "' is not valid: pass the NextToken of a"
                    + " previous response.");
        }
    }
}
