package com.acme.subscription.settings;

import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.acme.subscription.catalog.Catalog;
import com.acme.subscription.catalog.CatalogCache;
import com.acme.subscription.common.error.ApiException;

import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class SettingService {

    private final SettingRepository settings;
    private final CatalogCache catalog;
    private final Clock clock;

    public SettingService(SettingRepository settings, CatalogCache catalog, Clock clock) {
        this.settings = settings;
        this.catalog = catalog;
        this.clock = clock;
    }

    public Uni<Map<String, String>> all() {
        return catalog.current().map(Catalog::settings);
    }

    public Uni<Setting> put(String name, String value) {
        SettingKey key = SettingKey.of(name).orElseThrow(
                () -> ApiException.notFound("setting_not_found", "There is no setting '" + name + "'."));
        key.problemWith(value).ifPresent(problem -> {
            throw ApiException.invalid("value", problem);
        });
        return settings.update(key, value, clock.instant()).invoke(catalog::invalidate).map(outcome -> {
            if (outcome == SettingRepository.Outcome.TIER_NOT_FOUND) {
                throw ApiException.invalid("value", "there is no tier '" + value + "'");
            }
            return new Setting(key.key(), value);
        });
    }
}
