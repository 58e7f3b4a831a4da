package dev.kindling.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** EventBridge's event buses, rules and targets, as persisted. Every method is atomic. */
public interface EventRuleRepository {
    /** Every bus, in name order (buses are few). */
    List<EventBusRecord> buses();

    Optional<EventBusRecord> bus(String name);

    /** Adds the bus; false if one of that name exists already. */
    boolean insertBus(EventBusRecord bus);

    /** Removes the bus with its rules and their targets; false if it did not exist. */
    boolean deleteBus(String name);

    /** The bus's rules, in name order. */
    List<EventRuleRecord> rules(String bus);

    /** Every enabled rule with a schedule, on any bus: what the scheduler looks at. */
    List<EventRuleRecord> enabledSchedules();

    Optional<EventRuleRecord> rule(EventRuleRecord.Key key);

    /** Adds the rule or replaces the one of its key (its targets stay). */
    void putRule(EventRuleRecord rule);

    /** What {@link #deleteRule} did. */
    enum Deletion { DELETED, HAS_TARGETS, NOT_FOUND }

    /** Removes the rule unless it has targets. */
    Deletion deleteRule(EventRuleRecord.Key key);

    /** Keeps {@code occurrence} as the rule's last fired one. */
    void recordFired(EventRuleRecord.Key key, Instant occurrence);

    /** The rule's targets, in id order. */
    List<EventTargetRecord> targets(EventRuleRecord.Key key);

    /** Adds the targets, or replaces those of the same ids; false if the rule does not exist. */
    boolean putTargets(EventRuleRecord.Key key, List<EventTargetRecord> targets);

    /** Removes the targets of these ids that the rule has. */
    void removeTargets(EventRuleRecord.Key key, Collection<String> ids);

    /** The names of the rules on {@code bus} with a target of this ARN, in name order. */
    List<String> rulesTargeting(String bus, String arn);

    /** The tags of a bus ({@code rule} empty) or a rule, in key order. */
    java.util.Map<String, String> tags(String bus, String rule);

    /** Adds or replaces these tags of a bus ({@code rule} empty) or a rule. */
    void tag(String bus, String rule, java.util.Map<String, String> tags);

    /** Removes these tags (those it has) of a bus ({@code rule} empty) or a rule. */
    void untag(String bus, String rule, Collection<String> keys);
}
