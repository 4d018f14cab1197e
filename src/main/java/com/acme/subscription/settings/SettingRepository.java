package com.acme.subscription.settings;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.catalog.TierRepository;
import com.acme.subscription.common.time.Timestamps;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class SettingRepository implements PanacheRepositoryBase<AppSetting, String> {

    private final Pool pool;

    public SettingRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<AppSetting>> listSorted() {
        return listAll(Sort.by("key"));
    }

    /** Current values of the given settings, read inside the caller's transaction. */
    public Uni<Map<SettingKey, String>> values(SqlClient client, SettingKey... keys) {
        List<String> names = java.util.Arrays.stream(keys).map(SettingKey::key).toList();
        return client.preparedQuery("SELECT key, value FROM app_settings WHERE key = ANY($1)")
                .execute(Tuple.of(names.toArray(new String[0])))
                .map(rows -> {
                    Map<SettingKey, String> values = new EnumMap<>(SettingKey.class);
                    rows.forEach(row -> SettingKey.of(row.getString("key"))
                            .ifPresent(key -> values.put(key, row.getString("value"))));
                    return values;
                });
    }

    public enum Outcome {
        UPDATED, TIER_NOT_FOUND
    }

    /**
     * Stores the value. A value naming a tier locks that tier against deletion first (the
     * same lock order as a tier's delete), so a deleted tier is never left named here.
     */
    public Uni<Outcome> update(SettingKey key, String value, Instant now) {
        return pool.withTransaction(tx -> (key.namesTier(value)
                ? TierRepository.lockAgainstDelete(tx, value)
                : Uni.createFrom().item(true))
                .flatMap(tierOk -> tierOk
                        ? write(tx, key, value, now).replaceWith(Outcome.UPDATED)
                        : Uni.createFrom().item(Outcome.TIER_NOT_FOUND)));
    }

    private static Uni<?> write(SqlClient tx, SettingKey key, String value, Instant now) {
        return tx.preparedQuery("""
                INSERT INTO app_settings (key, value, updated) VALUES ($1, $2, $3)
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated = EXCLUDED.updated
                """)
                .execute(Tuple.of(key.key(), value, Timestamps.utc(now)));
    }
}
