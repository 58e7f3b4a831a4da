package dev.kindling.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One-line statements the repositories share: a query that finds a row or not, an update of text parameters. */
final class SqlStatements {
    private SqlStatements() {}

    /** Whether {@code sql}, with {@code parameters} bound in order, finds a row. */
    static boolean exists(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, parameters); ResultSet rs = s.executeQuery()) {
            return rs.next();
        }
    }

    /** Runs {@code sql} with {@code parameters} bound in order; returns how many rows it changed. */
    static int update(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, parameters)) {
            return s.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, String... parameters) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            return s;
        } catch (SQLException e) {
            s.close();
            throw e;
        }
    }
}
