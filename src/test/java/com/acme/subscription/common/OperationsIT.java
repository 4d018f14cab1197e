package com.acme.subscription.common;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OperationsTest} against the packaged application (the jar here, the native binary with -Dnative). */
@QuarkusIntegrationTest
class OperationsIT extends OperationsTest {
}
