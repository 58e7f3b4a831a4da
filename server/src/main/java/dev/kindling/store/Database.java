package dev.kindling.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded SQLite database in the data directory, migrated by Flyway at open.
 *
 * <p>SQLite takes one writer at a time, so one connection serves every caller in turn. WAL journaling with
 * synchronous=FULL makes each committed transaction survive a crash or kill -9.
 */
public final class Database implements AutoCloseable {
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private Database(Connection connection) {
        this.connection = connection;
    }

    public static Database openSqlite(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(5000);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        dataSource.setUrl(url);
        // Out of order: components are built side by side and each takes migration numbers of its own, so a data
        // directory may hold a later number before an earlier one arrives (V21 after V23); each migration stands alone.
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").outOfOrder(true).load()
                .migrate();
        try {
            return new Database(dataSource.getConnection());
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file, e);
        }
    }

    /**
     * Opens an existing database to read it, beside a server that may be writing it (WAL lets one reader run with
     * the writer): nothing is migrated or created.
     */
    public static Database openSqliteReadOnly(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new StoreException("there is no Kindling database at " + file, null);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        try {
            return new Database(dataSource.getConnection());
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file, e);
        }
    }

    /** Runs {@code work} with the connection, alone. */
    public <T> T withConnection(SqlWork<T> work) {
        lock.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} in one transaction: committed whole, or rolled back whole. */
    public <T> T inTransaction(SqlWork<T> work) {
        return withConnection(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    /**
     * Like {@link #inTransaction}, but the commit does not wait for the disk flush: it survives a kill -9 of Kindling
     * (the operating system holds it) though not a power cut. For bookkeeping that is safe to lose and redo, such as
     * which queued events are running: the flush is the slowest part of a small transaction, and the writers that
     * must be durable (accepting an event) wait behind it.
     */
    public <T> T inUnflushedTransaction(SqlWork<T> work) {
        return withConnection(c -> {
            setSynchronous(c, "NORMAL");
            try {
                return inTransaction(work);
            } finally {
                setSynchronous(c, "FULL");
            }
        });
    }

    private static void setSynchronous(Connection c, String mode) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA synchronous = " + mode);
        }
    }

    @Override
    public void close() {
        withConnection(c -> {
            if (!c.isReadOnly()) { // a reader leaves the log to the writer
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
            }
            c.close();
            return null;
        });
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    static { // the driver registers itself, but only once its class is loaded
        try {
            Class.forName("org.sqlite.JDBC");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
        DriverManager.setLoginTimeout(5);
    }
}
