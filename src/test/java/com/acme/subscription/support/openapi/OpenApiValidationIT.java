package com.acme.subscription.support.openapi;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OpenApiValidationTest} against the packaged application: the filter is active for the IT runs too. */
@QuarkusIntegrationTest
class OpenApiValidationIT extends OpenApiValidationTest {
}
