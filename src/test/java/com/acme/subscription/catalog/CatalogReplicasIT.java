package com.acme.subscription.catalog;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link CatalogReplicasTest} against the packaged application. */
@QuarkusIntegrationTest
class CatalogReplicasIT extends CatalogReplicasTest {
}
