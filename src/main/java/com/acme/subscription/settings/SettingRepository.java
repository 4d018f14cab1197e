package com.acme.subscription.settings;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** The settings table, through Panache; callers open the session or transaction. */
@ApplicationScoped
public class SettingRepository implements PanacheRepositoryBase<AppSetting, String> {

    /** The foreign key by which a setting naming a tier holds it (V8 migration). */
    public static final String TIER_FK = "app_settings_tier_id_fkey";

    public Uni<List<AppSetting>> listSorted() {
        return listAll(Sort.by("key"));
    }

    /** The stored values of the given settings, by key; a setting without a row is absent. */
    public Uni<Map<String, String>> values(SettingKey... keys) {
        return list("key in ?1", Arrays.stream(keys).map(SettingKey::key).toList())
                .map(rows -> rows.stream().collect(Collectors.toMap(row -> row.key, row -> row.value)));
    }

    /** Stores the value; a value naming a missing tier fails on {@link #TIER_FK} when the transaction flushes. */
    public Uni<AppSetting> put(SettingKey key, String value, Instant now) {
        return findById(key.key()).flatMap(found -> {
            AppSetting setting = found != null ? found : new AppSetting();
            setting.key = key.key();
            setting.value = value;
            setting.updated = now;
            return found != null ? Uni.createFrom().item(setting) : persist(setting);
        });
    }
}
