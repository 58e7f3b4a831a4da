package dev.kindling.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link BucketNotificationRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlBucketNotificationRepository implements BucketNotificationRepository {
    private final Database db;

    public SqlBucketNotificationRepository(Database db) {
        this.db = db;
    }

    @Override
    public Optional<String> find(String bucket) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT configuration_json FROM bucket_notifications WHERE bucket = ?")) {
                s.setString(1, bucket);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<String> buckets() {
        return db.withConnection(c -> {
            List<String> buckets = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT bucket FROM bucket_notifications ORDER BY bucket");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    buckets.add(rs.getString(1));
                }
            }
            return buckets;
        });
    }

    @Override
    public void put(String bucket, Optional<String> configurationJson) {
        db.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM bucket_notifications WHERE bucket = ?")) {
                delete.setString(1, bucket);
                delete.executeUpdate();
            }
            if (configurationJson.isPresent()) {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO bucket_notifications (bucket, configuration_json) VALUES (?, ?)")) {
                    insert.setString(1, bucket);
                    insert.setString(2, configurationJson.get());
                    insert.executeUpdate();
                }
            }
            return null;
        });
    }
}
