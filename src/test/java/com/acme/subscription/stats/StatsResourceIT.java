package com.acme.subscription.stats;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link StatsResourceTest} against the packaged application. */
@QuarkusIntegrationTest
class StatsResourceIT extends StatsResourceTest {
}
