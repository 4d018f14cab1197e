package com.acme.subscription.jobs;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** {@code POST /admin/jobs/{name}} through HTTP (JobsTest covers what each job does). */
@QuarkusTest
class JobResourceTest {

    @ParameterizedTest(name = "{0} runs on demand")
    @ValueSource(strings = { "expire-grants", "resume-grants", "reset-usage", "prune" })
    void everyJobRunsOnDemand(String job) {
        asAdmin().post("/api/v1/admin/jobs/" + job).then().statusCode(200)
                .body("job", equalTo(job)).body("processed", greaterThanOrEqualTo(0))
                .body("durationMs", greaterThanOrEqualTo(0));
    }

    @Test
    void unknownJobsAre404AndJobsAreForAdmins() {
        asAdmin().post("/api/v1/admin/jobs/defragment").then().statusCode(404).body("code", equalTo("job_not_found"));
        as(TestTokens.service()).post("/api/v1/admin/jobs/prune").then().statusCode(403).body("code", equalTo("forbidden"));
        as(TestTokens.user("u")).post("/api/v1/admin/jobs/prune").then().statusCode(403);
    }
}
