package com.acme.subscription.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.acme.subscription.common.devdb.EmbeddedPostgresServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The database and keys of every test, for {@code @QuarkusTest} and for the packaged jar
 * under {@code @QuarkusIntegrationTest} alike: a real PostgreSQL, embedded unless
 * QUARKUS_DATASOURCE_REACTIVE_URL / QUARKUS_DATASOURCE_JDBC_URL name one.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(Database.properties());
        // the service reaches the database through a relay that ResilienceTest can cut
        URI target = URI.create(config.get("quarkus.datasource.jdbc.url").substring("jdbc:".length()));
        try {
            int port = TcpProxy.start(target.getHost(), target.getPort());
            String database = target.getPath();
            config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + database);
            config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + database);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the packaged (prod) service takes its key from configuration, as in production
        config.put("mp.jwt.verify.publickey.location", Path.of("dev-keys/dev-public-key.pem").toAbsolutePath().toString());
        config.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        // a test Stripe account (billing): the API key and the webhook secret that tests sign with
        config.put("stripe.api-key", "sk_test_local");
        config.put("stripe.webhook-secret", "whsec_dGVzdC13ZWJob29rLXNlY3JldA");
        // tests run the jobs on demand
        config.put("quarkus.scheduler.enabled", "false");
        // the packaged service's management port, as in @QuarkusTest
        config.put("quarkus.management.port", String.valueOf(ApiTest.MANAGEMENT_PORT));
        return config;
    }

    @Override
    public void stop() {
        // one server per JVM, stopped by its shutdown hook after the last test
    }

    /** Datasource properties: from the environment if given there, else of the embedded server. */
    static Map<String, String> datasource() {
        String reactive = System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL");
        String jdbc = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (reactive != null && jdbc != null) {
            return Map.of("quarkus.datasource.reactive.url", reactive, "quarkus.datasource.jdbc.url", jdbc,
                    "quarkus.datasource.username", envOr("QUARKUS_DATASOURCE_USERNAME", "postgres"),
                    "quarkus.datasource.password", envOr("QUARKUS_DATASOURCE_PASSWORD", "postgres"));
        }
        return EmbeddedPostgresServer.running();
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
