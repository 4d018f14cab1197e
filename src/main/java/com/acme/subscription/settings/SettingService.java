package com.acme.subscription.settings;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.error.ApiException;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class SettingService {

    private final SettingRepository settings;
    private final Clock clock;

    public SettingService(SettingRepository settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @WithSession
    public Uni<Map<String, String>> all() {
        return settings.listSorted().map(list -> {
            Map<String, String> values = new LinkedHashMap<>();
            list.forEach(setting -> values.put(setting.key, setting.value));
            return values;
        });
    }

    public Uni<Map<String, String>> put(String name, String value) {
        SettingKey key = SettingKey.of(name).orElseThrow(
                () -> ApiException.notFound("setting_not_found", "There is no setting '" + name + "'."));
        key.problemWith(value).ifPresent(problem -> {
            throw ApiException.invalid("value", problem);
        });
        return settings.update(key, value, clock.instant()).map(outcome -> {
            if (outcome == SettingRepository.Outcome.TIER_NOT_FOUND) {
                throw ApiException.invalid("value", "there is no tier '" + value + "'");
            }
            return Map.of("key", key.key(), "value", value);
        });
    }
}
