package com.acme.subscription.common.devdb;

import java.util.Map;

/**
 * A database that dev mode starts by itself. Its one implementation, {@link EmbeddedPostgresServer},
 * and the service file that names it are left out of the packaged application (see
 * {@code quarkus.package.jar.user-configured-ignored-entries}): they exist in dev mode and tests only.
 */
public interface DevDatabase {

    /** The datasource properties that reach the running database, starting it if needed. */
    Map<String, String> datasourceProperties();
}
