package com.acme.subscription.common.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;

/**
 * A database migrated before the migrations' comments were reworded still starts: its history
 * rows are moved to the new checksums. Any other difference still fails validation.
 */
class CommentOnlyEditsTest {

    private static final String SCHEMA = "comment_edits_check";

    @AfterEach
    void dropSchema() {
        Database.update("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    @Test
    void aDatabaseMigratedWithTheOldCommentsValidatesAndGetsTheNewChecksums() {
        flyway(true).migrate();
        Map<String, int[]> reworded = CommentOnlyEdits.REWORDED;
        reworded.forEach((version, checksums) -> Database.update(
                "UPDATE " + SCHEMA + ".flyway_schema_history SET checksum = ? WHERE version = ?", checksums[0], version));

        assertThrows(FlywayValidateException.class, () -> flyway(false).migrate());
        MigrateResult result = flyway(true).migrate();

        assertTrue(result.success);
        reworded.forEach((version, checksums) -> assertEquals(checksums[1], Database.count(
                "SELECT checksum FROM " + SCHEMA + ".flyway_schema_history WHERE version = ?", version)));
    }

    @Test
    void anyOtherChecksumStillFailsValidation() {
        flyway(true).migrate();
        Database.update("UPDATE " + SCHEMA + ".flyway_schema_history SET checksum = 42 WHERE version = '1'");

        assertThrows(FlywayValidateException.class, () -> flyway(true).migrate());
    }

    private static Flyway flyway(boolean withEdits) {
        Map<String, String> db = Database.properties();
        var configuration = Flyway.configure()
                .dataSource(db.get("quarkus.datasource.jdbc.url"), db.get("quarkus.datasource.username"),
                        db.get("quarkus.datasource.password"))
                .schemas(SCHEMA).defaultSchema(SCHEMA)
                .locations("classpath:db/migration");
        if (withEdits) {
            new CommentOnlyEdits().customize(configuration);
        }
        return configuration.load();
    }
}
