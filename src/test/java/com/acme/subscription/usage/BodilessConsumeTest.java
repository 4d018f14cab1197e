package com.acme.subscription.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** A consume or release with no body and no Content-Type at all (curl -X POST) means an amount of 1. */
@QuarkusTest
class BodilessConsumeTest {

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    static HttpResponse<String> post(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                .header("Authorization", "Bearer " + TestTokens.service())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void noBodyAndNoContentTypeMeansOne() throws Exception {
        String id = Profiles.onTier("free");
        HttpResponse<String> consumed = post("/api/v1/profiles/" + id + "/usage/photos/consume");
        assertEquals(200, consumed.statusCode(), consumed.body());
        assertTrue(consumed.body().contains("\"used\":1"), consumed.body());
        HttpResponse<String> released = post("/api/v1/profiles/" + id + "/usage/photos/release");
        assertEquals(200, released.statusCode(), released.body());
        assertTrue(released.body().contains("\"used\":0"), released.body());
    }
}
