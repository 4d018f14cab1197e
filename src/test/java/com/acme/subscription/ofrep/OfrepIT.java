package com.acme.subscription.ofrep;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OfrepTest} against the packaged application. */
@QuarkusIntegrationTest
class OfrepIT extends OfrepTest {
}
