package com.acme.subscription.coupon;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link CouponResourceTest} against the packaged application. */
@QuarkusIntegrationTest
class CouponResourceIT extends CouponResourceTest {
}
