package com.acme.subscription.usage;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link BodilessConsumeTest} against the packaged application. */
@QuarkusIntegrationTest
class BodilessConsumeIT extends BodilessConsumeTest {
}
