package dev.kindling.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BinaryOperator;

/**
 * {@link MetricRepository} in plain SQL for SQLite and PostgreSQL. Adding reads the stored minute and writes the
 * combination, in one transaction: a histogram cannot be merged in SQL, and one writer (the metrics' flush) adds.
 * Commits do not wait for the disk flush: a power cut may lose the last seconds of metrics, never the database.
 */
public final class SqlMetricRepository implements MetricRepository {
    private static final String COLUMNS = "namespace, metric_name, dimensions, unit, minute_start, sample_count, sum,"
            + " minimum, maximum, histogram";
    private static final String KEY = "namespace = ? AND metric_name = ? AND dimensions = ? AND unit = ?"
            + " AND minute_start = ?";
    private static final String FIND = "SELECT " + COLUMNS + " FROM metric_minutes WHERE " + KEY;
    private static final String INSERT = "INSERT INTO metric_minutes (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?)";
    private static final String UPDATE = "UPDATE metric_minutes SET sample_count = ?, sum = ?, minimum = ?,"
            + " maximum = ?, histogram = ? WHERE " + KEY;
    private static final String BETWEEN = "SELECT " + COLUMNS + " FROM metric_minutes WHERE namespace = ?"
            + " AND metric_name = ? AND dimensions = ? AND minute_start >= ? AND minute_start < ?"
            + " ORDER BY minute_start";

    private final Database db;

    public SqlMetricRepository(Database db) {
        this.db = db;
    }

    @Override
    public void add(Collection<MetricMinuteRecord> minutes, BinaryOperator<MetricMinuteRecord.Summary> combine) {
        if (minutes.isEmpty()) {
            return;
        }
        db.inUnflushedTransaction(c -> { // metrics are safe to lose to a power cut: others need not wait for the disk
            try (PreparedStatement find = c.prepareStatement(FIND);
                    PreparedStatement insert = c.prepareStatement(INSERT);
                    PreparedStatement update = c.prepareStatement(UPDATE)) {
                for (MetricMinuteRecord minute : minutes) {
                    setKey(find, 1, minute);
                    Optional<MetricMinuteRecord> stored = first(find);
                    if (stored.isPresent()) {
                        setSummary(update, 1, combine.apply(stored.get().summary(), minute.summary()));
                        setKey(update, 6, minute);
                        update.executeUpdate();
                    } else {
                        setKey(insert, 1, minute);
                        setSummary(insert, 6, minute.summary());
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    @Override
    public List<MetricMinuteRecord> between(String namespace, String metricName, String dimensions, long fromMinute,
            long toMinute) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(BETWEEN)) {
                s.setString(1, namespace);
                s.setString(2, metricName);
                s.setString(3, dimensions);
                s.setLong(4, fromMinute);
                s.setLong(5, toMinute);
                return all(s);
            }
        });
    }

    @Override
    public List<MetricMinuteRecord.Series> series(Optional<String> namespace, Optional<String> metricName,
            long sinceMinute) {
        StringBuilder sql = new StringBuilder("SELECT DISTINCT namespace, metric_name, dimensions, unit"
                + " FROM metric_minutes WHERE minute_start >= ?");
        namespace.ifPresent(n -> sql.append(" AND namespace = ?"));
        metricName.ifPresent(n -> sql.append(" AND metric_name = ?"));
        sql.append(" ORDER BY namespace, metric_name, dimensions, unit");
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int i = 1;
                s.setLong(i++, sinceMinute);
                if (namespace.isPresent()) {
                    s.setString(i++, namespace.get());
                }
                if (metricName.isPresent()) {
                    s.setString(i, metricName.get());
                }
                List<MetricMinuteRecord.Series> found = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(new MetricMinuteRecord.Series(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4)));
                    }
                }
                return found;
            }
        });
    }

    @Override
    public int deleteBefore(long minute) {
        return db.inUnflushedTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM metric_minutes WHERE minute_start < ?")) {
                s.setLong(1, minute);
                return s.executeUpdate();
            }
        });
    }

    private static void setKey(PreparedStatement s, int first, MetricMinuteRecord minute) throws SQLException {
        MetricMinuteRecord.Series series = minute.series();
        s.setString(first, series.namespace());
        s.setString(first + 1, series.metricName());
        s.setString(first + 2, series.dimensions());
        s.setString(first + 3, series.unit());
        s.setLong(first + 4, minute.minuteStart());
    }

    private static void setSummary(PreparedStatement s, int first, MetricMinuteRecord.Summary summary)
            throws SQLException {
        s.setDouble(first, summary.sampleCount());
        s.setDouble(first + 1, summary.sum());
        s.setDouble(first + 2, summary.minimum());
        s.setDouble(first + 3, summary.maximum());
        s.setString(first + 4, summary.histogram());
    }

    private static Optional<MetricMinuteRecord> first(PreparedStatement s) throws SQLException {
        List<MetricMinuteRecord> found = all(s);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    private static List<MetricMinuteRecord> all(PreparedStatement s) throws SQLException {
        List<MetricMinuteRecord> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(new MetricMinuteRecord(
                        new MetricMinuteRecord.Series(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4)),
                        rs.getLong(5),
                        new MetricMinuteRecord.Summary(rs.getDouble(6), rs.getDouble(7), rs.getDouble(8),
                                rs.getDouble(9), rs.getString(10))));
            }
        }
        return rows;
    }
}
