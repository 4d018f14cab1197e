package com.acme.subscription.common;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ResilienceTest} against the packaged application. */
@QuarkusIntegrationTest
class ResilienceIT extends ResilienceTest {
}
