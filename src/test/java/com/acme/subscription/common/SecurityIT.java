package com.acme.subscription.common;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SecurityTest} against the packaged application (the jar here, the native binary with -Dnative). */
@QuarkusIntegrationTest
class SecurityIT extends SecurityTest {
}
