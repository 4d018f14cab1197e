package com.acme.subscription.coupon;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link RedemptionResourceTest} against the packaged application. */
@QuarkusIntegrationTest
class RedemptionResourceIT extends RedemptionResourceTest {
}
