package com.acme.subscription.grant;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link GrantResourceTest} against the packaged application. */
@QuarkusIntegrationTest
class GrantResourceIT extends GrantResourceTest {
}
