package com.acme.subscription.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Request shortcuts for black-box tests of the API. */
public final class ApiTest {

    /** Health, metrics and OpenAPI live on the management interface (-Dquarkus.management.test-port moves it). */
    public static final int MANAGEMENT_PORT = Integer.getInteger("quarkus.management.test-port", 9001);

    private ApiTest() {
    }

    /** A request to the management interface (/q/health, /q/metrics, /q/openapi, /q/swagger-ui). */
    public static RequestSpecification management() {
        return given().port(MANAGEMENT_PORT);
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static RequestSpecification asAdmin() {
        return as(TestTokens.admin());
    }

    public static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON);
    }
}
