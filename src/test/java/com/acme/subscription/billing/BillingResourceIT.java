package com.acme.subscription.billing;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** {@link BillingResourceTest} against the packaged application. */
@QuarkusIntegrationTest
@TestProfile(FakeStripe.Profile.class)
class BillingResourceIT extends BillingResourceTest {
}
