package com.acme.subscription.catalog;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SeedMigrationTest} against the packaged application (the jar here, the native binary with -Dnative). */
@QuarkusIntegrationTest
class SeedMigrationIT extends SeedMigrationTest {
}
