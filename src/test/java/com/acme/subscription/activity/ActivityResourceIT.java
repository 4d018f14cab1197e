package com.acme.subscription.activity;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ActivityResourceTest} against the packaged application. */
@QuarkusIntegrationTest
class ActivityResourceIT extends ActivityResourceTest {
}
