package dev.kindling.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * What belongs to one published version or alias and goes with it (its resource-based policy), deleted in the
 * transaction that deletes the version or alias: a crash between the two cannot leave a later alias of the same name
 * with a policy it was never given. (Deleting the whole function cascades by foreign key instead.)
 */
final class QualifierDependents {
    private static final List<String> DELETES = List.of(
            "DELETE FROM function_policies WHERE function_name = ? AND qualifier = ?");

    private QualifierDependents() {}

    static void delete(Connection c, String functionName, String qualifier) throws SQLException {
        for (String sql : DELETES) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, functionName);
                s.setString(2, qualifier);
                s.executeUpdate();
            }
        }
    }
}
