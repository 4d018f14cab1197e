package com.acme.subscription.usage;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ConcurrentConsumeTest} against the packaged application. */
@QuarkusIntegrationTest
class ConcurrentConsumeIT extends ConcurrentConsumeTest {
}
