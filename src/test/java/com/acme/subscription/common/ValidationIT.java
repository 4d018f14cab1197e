package com.acme.subscription.common;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ValidationTest} against the packaged application (the jar here, the native binary with -Dnative). */
@QuarkusIntegrationTest
class ValidationIT extends ValidationTest {
}
