package com.acme.subscription.settings;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.PgErrors;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class SettingService {

    private final SettingRepository settings;
    private final Clock clock;

    public SettingService(SettingRepository settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Every setting by key; read from the table each time (an admin read, never stale on any replica). */
    @WithSession
    public Uni<Map<String, String>> all() {
        return settings.listSorted().map(rows -> {
            Map<String, String> values = new LinkedHashMap<>();
            rows.forEach(row -> values.put(row.key, row.value));
            return values;
        });
    }

    public Uni<Setting> put(String name, String value) {
        SettingKey key = SettingKey.of(name).orElseThrow(
                () -> ApiException.notFound("setting_not_found", "There is no setting '" + name + "'."));
        key.problemWith(value).ifPresent(problem -> {
            throw ApiException.invalid("value", problem);
        });
        return store(key, value)
                .onFailure(e -> PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION, SettingRepository.TIER_FK))
                .transform(e -> ApiException.invalid("value", "must name a tier that exists; there is no tier '" + value + "'"))
                // a zone the JVM knows and PostgreSQL does not (V18__reset_zone_check.sql)
                .onFailure(e -> key == SettingKey.USAGE_RESET_ZONE && PgErrors.is(e, PgErrors.INVALID_PARAMETER_VALUE))
                .transform(e -> ApiException.invalid("value", "must be a time zone PostgreSQL knows, such as Europe/Berlin"))
                .replaceWith(new Setting(key.key(), value));
    }

    @WithTransaction
    Uni<AppSetting> store(SettingKey key, String value) {
        return settings.put(key, value, clock.instant());
    }
}
