package com.acme.subscription.profile;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ProfileResourceTest} against the packaged application. */
@QuarkusIntegrationTest
class ProfileResourceIT extends ProfileResourceTest {
}
