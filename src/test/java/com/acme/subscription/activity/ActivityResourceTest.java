package com.acme.subscription.activity;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The activity log in keyset pages (docs/activity-and-stats.md). */
@QuarkusTest
class ActivityResourceTest {

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    static void login(String profile) {
        as(TestTokens.service()).post("/api/v1/profiles/" + profile + "/logins").then().statusCode(204);
    }

    @Test
    void everyEntryAppearsExactlyOnceWhileNewOnesAreWritten() {
        String profile = Profiles.onTier("free");
        for (int i = 0; i < 23; i++) {
            login(profile);
        }
        List<String> existing = Database.query(
                "SELECT id FROM user_activity_log WHERE profile_id = ? ORDER BY seq DESC", profile).stream()
                .map(row -> (String) row.get("id")).toList();

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = as(TestTokens.user(profile)).queryParam("limit", 4);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/profiles/" + profile + "/activity").then().statusCode(200)
                    .extract().jsonPath();
            seen.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
            login(profile); // new entries keep arriving between pages
            pages++;
        } while (cursor != null && pages < 100);
        assertEquals(existing, seen, "exactly the entries of the first page's moment, newest first, once each");
        assertEquals(new HashSet<>(seen).size(), seen.size());
    }

    @Test
    void entriesCarryTheirFieldsAndFilterByAction() {
        String profile = Profiles.onTier("basic");
        login(profile);
        asAdmin().body(Map.of("limit", 3)).put("/api/v1/profiles/" + profile + "/overrides/photos").then().statusCode(201);
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/activity?action=override_set").then()
                .statusCode(200).body("items.size()", equalTo(1))
                .body("items[0].profileId", equalTo(profile)).body("items[0].action", equalTo("override_set"))
                .body("items[0].details.featureId", equalTo("photos")).body("items[0].details.limit", equalTo(3))
                .body("items[0].details.by", equalTo("admin-1"))
                .body("items[0].ipAddress", equalTo("127.0.0.1")).body("nextCursor", equalTo(null));
        as(TestTokens.user("someone-else")).get("/api/v1/profiles/" + profile + "/activity").then().statusCode(403);
        as(TestTokens.service()).get("/api/v1/profiles/no-such-profile/activity").then().statusCode(404);
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/activity?action=Bad-Action").then().statusCode(400);
    }

    @Test
    void adminsFilterAllActivityByProfileActionAndTime() {
        String profile = Profiles.onTier("free");
        Database.update("""
                INSERT INTO user_activity_log (id, profile_id, action, created) VALUES
                ('t-1-' || ?, ?, 'login', '2025-01-01T10:00:00Z'),
                ('t-2-' || ?, ?, 'login', '2025-01-02T10:00:00Z'),
                ('t-3-' || ?, ?, 'coupon_redeemed', '2025-01-02T11:00:00Z'),
                ('t-4-' || ?, ?, 'login', '2025-01-03T10:00:00Z')""", profile, profile, profile, profile, profile, profile,
                profile, profile);
        JsonPath page = asAdmin().queryParam("profileId", profile).queryParam("action", "login")
                .queryParam("since", "2025-01-01T12:00:00Z").queryParam("until", "2025-01-03T10:00:00Z")
                .get("/api/v1/activity").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("t-2-" + profile), page.getList("items.id"));
        JsonPath all = asAdmin().queryParam("profileId", profile).queryParam("since", "2025-01-01T00:00:00Z")
                .queryParam("until", "2025-01-04T00:00:00Z").get("/api/v1/activity").then().extract().jsonPath();
        assertEquals(List.of("t-4-" + profile, "t-3-" + profile, "t-2-" + profile, "t-1-" + profile),
                all.getList("items.id"));
        asAdmin().queryParam("since", "yesterday").get("/api/v1/activity").then().statusCode(400)
                .body("errors[0].field", equalTo("since"));
        as(TestTokens.service()).get("/api/v1/activity").then().statusCode(403);
    }
}
