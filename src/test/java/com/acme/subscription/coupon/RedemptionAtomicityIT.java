package com.acme.subscription.coupon;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link RedemptionAtomicityTest} against the packaged application. */
@QuarkusIntegrationTest
class RedemptionAtomicityIT extends RedemptionAtomicityTest {
}
