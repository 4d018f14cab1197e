package com.acme.subscription.catalog;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link CatalogResourceTest} against the packaged application (the jar here, the native binary with -Dnative). */
@QuarkusIntegrationTest
class CatalogResourceIT extends CatalogResourceTest {
}
