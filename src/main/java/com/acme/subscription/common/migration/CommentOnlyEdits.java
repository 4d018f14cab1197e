package com.acme.subscription.common.migration;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import jakarta.inject.Singleton;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import io.quarkus.flyway.FlywayConfigurationCustomizer;

/**
 * Applied migrations whose header comments were reworded after they ran (they cited a document
 * outside the repository; they now point to docs/). Flyway checksums whole files, so a database
 * migrated before the rewording would fail validation at start. Before validating, the history
 * row of each such version is moved from its old checksum to the new one: only that exact pair,
 * so a migration changed in any other way still stops the start.
 */
@Singleton
public class CommentOnlyEdits implements FlywayConfigurationCustomizer, Callback {

    /** version -> {checksum before the rewording, checksum after}. */
    static final Map<String, int[]> REWORDED = Map.of(
            "1", new int[] { -1449718171, -1673103995 },
            "2", new int[] { -2113768905, 1828551573 },
            "3", new int[] { -1092561844, 2146218008 },
            "4", new int[] { -13121032, 1333510206 },
            "5", new int[] { 1693788149, 1855830765 },
            "6", new int[] { 1493731131, -1216414915 });

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.callbacks(this);
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_VALIDATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        String schema = context.getConfiguration().getDefaultSchema();
        String table = (schema == null ? "" : quote(schema) + ".") + quote(context.getConfiguration().getTable());
        try (PreparedStatement exists = context.getConnection().prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table);
            try (ResultSet found = exists.executeQuery()) {
                if (!found.next() || !found.getBoolean(1)) {
                    return; // an empty database: nothing was migrated before
                }
            }
            try (PreparedStatement update = context.getConnection().prepareStatement(
                    "UPDATE " + table + " SET checksum = ? WHERE version = ? AND checksum = ?")) {
                for (Map.Entry<String, int[]> edit : REWORDED.entrySet()) {
                    update.setInt(1, edit.getValue()[1]);
                    update.setString(2, edit.getKey());
                    update.setInt(3, edit.getValue()[0]);
                    update.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new FlywayException("Could not carry the reworded migrations' checksums over", e);
        }
    }

    @Override
    public String getCallbackName() {
        return "comment-only edits";
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
