package com.acme.subscription.jobs;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link JobResourceTest} against the packaged application. */
@QuarkusIntegrationTest
class JobResourceIT extends JobResourceTest {
}
