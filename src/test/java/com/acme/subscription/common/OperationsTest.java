package com.acme.subscription.common;

import static com.acme.subscription.support.ApiTest.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Health, the API description and metrics, without a token (README.md: running the packaged service). */
@QuarkusTest
class OperationsTest {

    @Test
    void readinessAndLivenessDescribeThePod() {
        management().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("subscription-service"))
                .body("checks.find { it.name == 'subscription-service' }.data.migrated", equalTo(true));
        management().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theDatabaseHasItsOwnHealthGroup() {
        management().get("/q/health/group/database").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("postgresql"));
    }

    @Test
    void openApiDocumentsEveryEndpoint() {
        var paths = management().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/api/v1/tiers"))
                .body("paths", hasKey("/api/v1/tiers/{tierId}"))
                .body("paths", hasKey("/api/v1/tiers/{tierId}/limits/{featureId}"))
                .body("paths", hasKey("/api/v1/features"))
                .body("paths", hasKey("/api/v1/features/{featureId}"))
                .body("paths", hasKey("/api/v1/tier-limits"))
                .body("paths", hasKey("/api/v1/settings"))
                .body("paths", hasKey("/api/v1/settings/{key}"))
                .body("components.securitySchemes", hasKey("bearer"));
        paths.body("paths.'/api/v1/tiers/{tierId}'.put.responses", hasKey("201"));
        management().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void theApiPortServesTheApiOnly() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void metricsArePrometheus() {
        management().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }
}
