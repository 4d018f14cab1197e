package com.acme.subscription.usage;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link UsageResourceTest} against the packaged application. */
@QuarkusIntegrationTest
class UsageResourceIT extends UsageResourceTest {
}
