package com.acme.subscription.coupon;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ConcurrentRedemptionTest} against the packaged application. */
@QuarkusIntegrationTest
class ConcurrentRedemptionIT extends ConcurrentRedemptionTest {
}
