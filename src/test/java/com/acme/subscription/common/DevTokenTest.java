package com.acme.subscription.common;

import static com.acme.subscription.support.ApiTest.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The dev-mode token endpoint of the README works as documented. */
@QuarkusTest
class DevTokenTest {

    @Test
    void mintedTokensCarryTheRequestedRole() {
        String admin = given().post("/api/v1/dev/tokens?role=admin").then().statusCode(200).extract().asString();
        as(admin).body(Map.of("name", "Dev", "sortOrder", 900)).put("/api/v1/tiers/dev_t1").then().statusCode(201);
        as(admin).delete("/api/v1/tiers/dev_t1").then().statusCode(204);

        String user = given().post("/api/v1/dev/tokens?role=user&sub=p-dev").then().statusCode(200).extract().asString();
        as(user).get("/api/v1/tiers").then().statusCode(200);
        as(user).delete("/api/v1/tiers/basic").then().statusCode(403).body("code", equalTo("forbidden"));
    }

    @Test
    void theTokenScriptOfTheReadmeSignsWithTheDevKey() throws Exception {
        Process script = new ProcessBuilder("bash", "dev-keys/token.sh", "service", "billing").start();
        String token = new String(script.getInputStream().readAllBytes()).trim();
        org.junit.jupiter.api.Assertions.assertEquals(0, script.waitFor());
        as(token).get("/api/v1/tier-limits").then().statusCode(200);
        as(token).body(Map.of("value", "3")).put("/api/v1/settings/trial_duration_days").then().statusCode(403);
    }

    @Test
    void anUnknownRoleIs400() {
        given().post("/api/v1/dev/tokens?role=root").then().statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("role"))
                .body("errors[0].message", equalTo("must be admin, service or user"));
        // an empty role (an unset shell variable) is refused, not read as the default admin
        given().post("/api/v1/dev/tokens?role=").then().statusCode(400)
                .body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("role"));
    }

    @Test
    void aSubjectThatIsNoPlausibleIdIs400() {
        // a placeholder pasted with its brackets and a space, URL-encoded so that it reaches the endpoint
        given().urlEncodingEnabled(false).post("/api/v1/dev/tokens?role=user&sub=%3Cprofile%20id%3E").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("validation_failed"))
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("sub"));
        // an empty sub (an unset shell variable) is refused too, rather than minting a token for nobody
        given().post("/api/v1/dev/tokens?role=user&sub=").then().statusCode(400)
                .body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("sub"));
        given().queryParam("role", "user").queryParam("sub", "x".repeat(201)).post("/api/v1/dev/tokens").then()
                .statusCode(400)
                .body("errors[0].field", equalTo("sub"));
    }

    @Test
    void theSubjectOfAUserTokenIsTheProfileIdAsGiven() {
        String user = given().post("/api/v1/dev/tokens?role=user&sub=ada.lovelace:1815_x-y@example.com").then()
                .statusCode(200).extract().asString();
        // its own profile (which does not exist: 404), not another one (403)
        as(user).get("/api/v1/profiles/ada.lovelace:1815_x-y@example.com").then().statusCode(404)
                .body("code", equalTo("profile_not_found"));
        as(user).get("/api/v1/profiles/someone-else").then().statusCode(403);
    }
}
