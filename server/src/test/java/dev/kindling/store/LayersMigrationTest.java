package dev.kindling.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * A database from before layers (migrations V1 and V2), whose functions carry the bare, never-checked layer ARNs
 * Kindling used to store, opens and reads after V4: those ARNs named no layer, so the function has none.
 */
class LayersMigrationTest {
    @TempDir
    Path dir;

    @Test
    void functionsStoredBeforeLayersStillRead() throws Exception {
        Path file = dir.resolve("kindling.db");
        SQLiteDataSource before = new SQLiteDataSource();
        before.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        Flyway.configure().dataSource(before).locations("classpath:db/migration").target("2").load().migrate();
        try (Connection c = before.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO functions (name, runtime, role, handler, description, timeout_seconds,"
                    + " memory_mb, ephemeral_mb, environment_json, architectures_json, layers_json, logging_json,"
                    + " tracing_mode, package_type, code_sha256_hex, code_size, revision_id, last_modified_ms)"
                    + " VALUES ('old', 'python3.12', 'arn:aws:iam::000000000000:role/r', 'app.handler', '', 3, 128,"
                    + " 512, '{}', '[\"x86_64\"]', '[\"arn:aws:lambda:us-east-1:000000000000:layer:deps:3\"]',"
                    + " '{\"logFormat\":\"Text\",\"logGroup\":\"/aws/lambda/old\"}', 'PassThrough', 'Zip', '"
                    + "0".repeat(64) + "', 10, 'rev', 0)");
        }

        try (Database db = Database.openSqlite(file)) {
            FunctionRecord old = new SqlFunctionRepository(db).find("old").orElseThrow();
            assertThat(old.layers()).isEmpty();
            assertThat(old.revisionId()).isEqualTo("rev");
            assertThat(new SqlLayerRepository(db).allVersions()).isEmpty();
        }
    }
}
