package com.acme.subscription.entitlement;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link EntitlementResourceTest} against the packaged application. */
@QuarkusIntegrationTest
class EntitlementResourceIT extends EntitlementResourceTest {
}
