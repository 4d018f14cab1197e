package com.acme.subscription.common.devdb;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.ServiceLoader;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * In dev mode without a configured database, points the datasource at an embedded
 * PostgreSQL, so that {@code ./mvnw quarkus:dev} needs nothing but a JDK.
 * A configured URL (e.g. {@code QUARKUS_DATASOURCE_REACTIVE_URL}) always wins, and no
 * other profile ever starts a database here: tests bring their own, prod requires a URL.
 */
public class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {

    private static final String REACTIVE_URL = "quarkus.datasource.reactive.url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev") || isSet(context.getValue(REACTIVE_URL))) {
            return List.of();
        }
        return List.of(new MapBackedConfigSource("embedded-postgresql", embeddedDatasource(), 275) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(275);
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    private static Map<String, String> embeddedDatasource() {
        // The implementation is found as a service: it and zonky exist in dev mode and tests, never
        // in the packaged application (nor in a native image, which therefore never analyses them).
        return ServiceLoader.load(DevDatabase.class, EmbeddedDatabaseConfigSourceFactory.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No database configured and no embedded PostgreSQL: "
                        + "set QUARKUS_DATASOURCE_REACTIVE_URL and QUARKUS_DATASOURCE_JDBC_URL"))
                .datasourceProperties();
    }
}
