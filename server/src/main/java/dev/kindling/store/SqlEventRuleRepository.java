package dev.kindling.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;

/** {@link EventRuleRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlEventRuleRepository implements EventRuleRepository {
    private static final String BUS_COLUMNS = "SELECT name, description, created_ms FROM event_buses";
    private static final String RULE_COLUMNS = "SELECT bus, name, event_pattern, schedule_expression, state,"
            + " description, role_arn, schedule_start_ms, last_fired_ms FROM event_rules";
    private final Database db;

    public SqlEventRuleRepository(Database db) {
        this.db = db;
    }

    @Override
    public List<EventBusRecord> buses() {
        return db.withConnection(c -> {
            List<EventBusRecord> buses = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(BUS_COLUMNS + " ORDER BY name");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    buses.add(readBus(rs));
                }
            }
            return buses;
        });
    }

    @Override
    public Optional<EventBusRecord> bus(String name) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(BUS_COLUMNS + " WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(readBus(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean insertBus(EventBusRecord bus) {
        return db.inTransaction(c -> {
            if (SqlStatements.exists(c, "SELECT 1 FROM event_buses WHERE name = ?", bus.name())) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO event_buses (name, description, created_ms) VALUES (?, ?, ?)")) {
                s.setString(1, bus.name());
                setOptional(s, 2, bus.description());
                s.setLong(3, bus.created().toEpochMilli());
                s.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean deleteBus(String name) {
        return db.inTransaction(c -> {
            // Said explicitly rather than left to ON DELETE CASCADE, which SQLite honours only with foreign keys on.
            SqlStatements.update(c, "DELETE FROM event_tags WHERE bus = ?", name);
            SqlStatements.update(c, "DELETE FROM event_targets WHERE bus = ?", name);
            SqlStatements.update(c, "DELETE FROM event_rules WHERE bus = ?", name);
            return SqlStatements.update(c, "DELETE FROM event_buses WHERE name = ?", name) > 0;
        });
    }

    @Override
    public List<EventRuleRecord> rules(String bus) {
        return queryRules(RULE_COLUMNS + " WHERE bus = ? ORDER BY name", bus);
    }

    @Override
    public List<EventRuleRecord> enabledSchedules() {
        return queryRules(RULE_COLUMNS + " WHERE schedule_expression IS NOT NULL AND state <> ? ORDER BY bus, name",
                "DISABLED");
    }

    @Override
    public Optional<EventRuleRecord> rule(EventRuleRecord.Key key) {
        List<EventRuleRecord> found = queryRules(RULE_COLUMNS + " WHERE bus = ? AND name = ?", key.bus(),
                key.name());
        return found.stream().findFirst();
    }

    @Override
    public void putRule(EventRuleRecord rule) {
        db.inTransaction(c -> {
            boolean exists = SqlStatements.exists(c, "SELECT 1 FROM event_rules WHERE bus = ? AND name = ?", rule.key().bus(),
                    rule.key().name());
            String sql = exists
                    ? "UPDATE event_rules SET event_pattern = ?, schedule_expression = ?, state = ?, description = ?,"
                            + " role_arn = ?, schedule_start_ms = ?, last_fired_ms = ? WHERE bus = ? AND name = ?"
                    : "INSERT INTO event_rules (event_pattern, schedule_expression, state, description, role_arn,"
                            + " schedule_start_ms, last_fired_ms, bus, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                EventRuleRecord.Spec spec = rule.spec();
                setOptional(s, 1, spec.eventPattern());
                setOptional(s, 2, spec.scheduleExpression());
                s.setString(3, spec.state());
                setOptional(s, 4, spec.description());
                setOptional(s, 5, spec.roleArn());
                s.setLong(6, rule.scheduleStart().toEpochMilli());
                if (rule.lastFired().isPresent()) {
                    s.setLong(7, rule.lastFired().get().toEpochMilli());
                } else {
                    s.setNull(7, Types.BIGINT);
                }
                s.setString(8, rule.key().bus());
                s.setString(9, rule.key().name());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Deletion deleteRule(EventRuleRecord.Key key) {
        return db.inTransaction(c -> {
            if (!SqlStatements.exists(c, "SELECT 1 FROM event_rules WHERE bus = ? AND name = ?", key.bus(), key.name())) {
                return Deletion.NOT_FOUND;
            }
            if (SqlStatements.exists(c, "SELECT 1 FROM event_targets WHERE bus = ? AND rule = ?", key.bus(), key.name())) {
                return Deletion.HAS_TARGETS;
            }
            SqlStatements.update(c, "DELETE FROM event_rules WHERE bus = ? AND name = ?", key.bus(), key.name());
            SqlStatements.update(c, "DELETE FROM event_tags WHERE bus = ? AND rule = ?", key.bus(), key.name());
            return Deletion.DELETED;
        });
    }

    @Override
    public void recordFired(EventRuleRecord.Key key, Instant occurrence) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE event_rules SET last_fired_ms = ? WHERE bus = ? AND name = ?")) {
                s.setLong(1, occurrence.toEpochMilli());
                s.setString(2, key.bus());
                s.setString(3, key.name());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<EventTargetRecord> targets(EventRuleRecord.Key key) {
        return db.withConnection(c -> {
            List<EventTargetRecord> targets = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, arn, definition FROM event_targets"
                    + " WHERE bus = ? AND rule = ? ORDER BY id")) {
                s.setString(1, key.bus());
                s.setString(2, key.name());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        targets.add(new EventTargetRecord(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return targets;
        });
    }

    @Override
    public boolean putTargets(EventRuleRecord.Key key, List<EventTargetRecord> targets) {
        return db.inTransaction(c -> {
            if (!SqlStatements.exists(c, "SELECT 1 FROM event_rules WHERE bus = ? AND name = ?", key.bus(), key.name())) {
                return false;
            }
            for (EventTargetRecord target : targets) {
                int updated;
                try (PreparedStatement s = c.prepareStatement("UPDATE event_targets SET arn = ?, definition = ?"
                        + " WHERE bus = ? AND rule = ? AND id = ?")) {
                    s.setString(1, target.arn());
                    s.setString(2, target.definition());
                    s.setString(3, key.bus());
                    s.setString(4, key.name());
                    s.setString(5, target.id());
                    updated = s.executeUpdate();
                }
                if (updated == 0) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO event_targets (bus, rule, id, arn,"
                            + " definition) VALUES (?, ?, ?, ?, ?)")) {
                        s.setString(1, key.bus());
                        s.setString(2, key.name());
                        s.setString(3, target.id());
                        s.setString(4, target.arn());
                        s.setString(5, target.definition());
                        s.executeUpdate();
                    }
                }
            }
            return true;
        });
    }

    @Override
    public void removeTargets(EventRuleRecord.Key key, Collection<String> ids) {
        db.inTransaction(c -> {
            for (String id : ids) {
                SqlStatements.update(c, "DELETE FROM event_targets WHERE bus = ? AND rule = ? AND id = ?", key.bus(), key.name(),
                        id);
            }
            return null;
        });
    }

    @Override
    public List<String> rulesTargeting(String bus, String arn) {
        return db.withConnection(c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT rule FROM event_targets"
                    + " WHERE bus = ? AND arn = ? ORDER BY rule")) {
                s.setString(1, bus);
                s.setString(2, arn);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            return names;
        });
    }

    @Override
    public Map<String, String> tags(String bus, String rule) {
        return db.withConnection(c -> {
            Map<String, String> tags = new TreeMap<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT tag_key, tag_value FROM event_tags WHERE bus = ? AND rule = ?")) {
                s.setString(1, bus);
                s.setString(2, rule);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        tags.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return tags;
        });
    }

    @Override
    public void tag(String bus, String rule, Map<String, String> tags) {
        db.inTransaction(c -> {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                SqlStatements.update(c, "DELETE FROM event_tags WHERE bus = ? AND rule = ? AND tag_key = ?", bus, rule,
                        tag.getKey());
                SqlStatements.update(c, "INSERT INTO event_tags (bus, rule, tag_key, tag_value) VALUES (?, ?, ?, ?)", bus, rule,
                        tag.getKey(), tag.getValue());
            }
            return null;
        });
    }

    @Override
    public void untag(String bus, String rule, Collection<String> keys) {
        db.inTransaction(c -> {
            for (String key : keys) {
                SqlStatements.update(c, "DELETE FROM event_tags WHERE bus = ? AND rule = ? AND tag_key = ?", bus, rule, key);
            }
            return null;
        });
    }

    private List<EventRuleRecord> queryRules(String sql, String... parameters) {
        return db.withConnection(c -> {
            List<EventRuleRecord> rules = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    s.setString(i + 1, parameters[i]);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rules.add(readRule(rs));
                    }
                }
            }
            return rules;
        });
    }

    private static void setOptional(PreparedStatement s, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            s.setString(index, value.get());
        } else {
            s.setNull(index, Types.VARCHAR);
        }
    }

    private static EventBusRecord readBus(ResultSet rs) throws SQLException {
        return new EventBusRecord(rs.getString(1), Optional.ofNullable(rs.getString(2)),
                Instant.ofEpochMilli(rs.getLong(3)));
    }

    private static EventRuleRecord readRule(ResultSet rs) throws SQLException {
        EventRuleRecord.Key key = new EventRuleRecord.Key(rs.getString(1), rs.getString(2));
        EventRuleRecord.Spec spec = new EventRuleRecord.Spec(Optional.ofNullable(rs.getString(3)),
                Optional.ofNullable(rs.getString(4)), rs.getString(5), Optional.ofNullable(rs.getString(6)),
                Optional.ofNullable(rs.getString(7)));
        long lastFired = rs.getLong(9);
        Optional<Instant> fired = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastFired));
        return new EventRuleRecord(key, spec, Instant.ofEpochMilli(rs.getLong(8)), fired);
    }
}
