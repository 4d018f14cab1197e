package com.acme.subscription.catalog;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link CatalogInUseTest} against the packaged application (the jar here, the native binary with -Dnative). */
@QuarkusIntegrationTest
class CatalogInUseIT extends CatalogInUseTest {
}
