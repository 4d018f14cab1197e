package com.acme.subscription.profile;

import static com.acme.subscription.support.ApiTest.anonymous;
import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** Profiles (docs/profiles.md): registration, read, update, erase, through HTTP. */
@QuarkusTest
class ProfileResourceTest {

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void registrationSetsThePostTrialTierAndWaitsForVerification() {
        String id = unique("reg");
        as(TestTokens.service()).body(Map.of("id", id, "email", "  " + id + "@Example.com ")).post("/api/v1/profiles")
                .then().statusCode(201)
                .body("id", equalTo(id)).body("email", equalTo(id + "@Example.com")).body("role", equalTo("user"))
                .body("tier", equalTo("free")).body("trialEndsAt", nullValue()).body("emailVerified", equalTo(false))
                .body("invitedBy", nullValue()).body("created", notNullValue());
        assertEquals(0L, Database.count("SELECT count(*) FROM access_grants WHERE profile_id = ?", id));
        assertEquals(1L, Database.count("SELECT count(*) FROM user_stats WHERE profile_id = ?", id));
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'profile_registered'", id));
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/weight_entries").then()
                .body("allowed", equalTo(false)).body("reason", equalTo("email_not_verified"));
    }

    @Test
    void anIdIsGeneratedWhenNoneIsGiven() {
        as(TestTokens.service()).body(Map.of("email", unique("gen") + "@example.com")).post("/api/v1/profiles").then()
                .statusCode(201).body("id", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    }

    @Test
    void emailsAreUniqueRegardlessOfCaseAndIdsAreUnique() {
        String id = unique("dup");
        as(TestTokens.service()).body(Map.of("id", id, "email", id + "@example.com")).post("/api/v1/profiles").then()
                .statusCode(201);
        as(TestTokens.service()).body(Map.of("email", id.toUpperCase() + "@EXAMPLE.COM")).post("/api/v1/profiles")
                .then().statusCode(409).body("code", equalTo("email_taken"));
        as(TestTokens.service()).body(Map.of("id", id, "email", unique("other") + "@example.com"))
                .post("/api/v1/profiles").then().statusCode(409).body("code", equalTo("profile_exists"));
    }

    @Test
    void badRegistrationsAre400() {
        for (String body : List.of("{}", "{\"email\": \"not-an-address\"}", "{\"email\": \"a@b\"}",
                "{\"email\": 5}", "{\"email\": \"x@example.com\", \"id\": \"has space\"}",
                "{\"email\": \"x@example.com\", \"id\": \"/slash\"}")) {
            as(TestTokens.service()).body(body).post("/api/v1/profiles").then().statusCode(400)
                    .body("code", equalTo("validation_failed"));
        }
    }

    @Test
    void onlyTheServiceAndAdminsRegister() {
        as(TestTokens.user("someone")).body(Map.of("email", unique("u") + "@example.com")).post("/api/v1/profiles")
                .then().statusCode(403);
        anonymous().body(Map.of("email", unique("u") + "@example.com")).post("/api/v1/profiles").then().statusCode(401);
    }

    @Test
    void closedRegistrationNeedsAnInvitationUnlessAnAdminRegisters() {
        Settings.set("self_registration_enabled", "false");
        as(TestTokens.service()).body(Map.of("email", unique("closed") + "@example.com")).post("/api/v1/profiles")
                .then().statusCode(403).body("code", equalTo("registration_closed"));
        asAdmin().body(Map.of("email", unique("closed") + "@example.com")).post("/api/v1/profiles").then()
                .statusCode(201);
        as(TestTokens.service()).body(Map.of("email", unique("closed") + "@example.com", "invitationToken", "bogus"))
                .post("/api/v1/profiles").then().statusCode(410).body("code", equalTo("token_invalid"));
    }

    @Test
    void aDisabledPostTrialTierIsStoredAsNoBaseTier() {
        Settings.set("post_trial_tier", "disabled");
        String id = unique("dis");
        as(TestTokens.service()).body(Map.of("id", id, "email", id + "@example.com")).post("/api/v1/profiles").then()
                .statusCode(201).body("tier", equalTo("disabled"));
        assertEquals(1L, Database.count("SELECT count(*) FROM profiles WHERE id = ? AND tier IS NULL", id));
    }

    @Test
    void registrationTakesAnIdempotencyKey() {
        String email = unique("idem") + "@example.com";
        String first = as(TestTokens.service()).header("Idempotency-Key", "reg-" + email).body(Map.of("email", email))
                .post("/api/v1/profiles").then().statusCode(201).extract().asString();
        String again = as(TestTokens.service()).header("Idempotency-Key", "reg-" + email)
                .body(Map.of("email", " " + email + " ")).post("/api/v1/profiles").then().statusCode(201)
                .extract().asString();
        assertEquals(first, again);
        assertEquals(1L, Database.count("SELECT count(*) FROM profiles WHERE lower(email) = lower(?)", email));
    }

    @Test
    void adminsPatchTierRoleAndVerification() {
        String id = Profiles.register();
        asAdmin().body(Map.of("tier", "basic")).patch("/api/v1/profiles/" + id).then().statusCode(200)
                .body("tier", equalTo("basic"));
        asAdmin().body(Map.of("role", "admin")).patch("/api/v1/profiles/" + id).then().statusCode(200)
                .body("role", equalTo("admin")).body("tier", equalTo("selfhosted"));
        asAdmin().body(Map.of("tier", "nosuch")).patch("/api/v1/profiles/" + id).then().statusCode(404)
                .body("code", equalTo("tier_not_found"));
        asAdmin().body(Map.of("role", "root")).patch("/api/v1/profiles/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("role"));
        asAdmin().body(Map.of("emailVerified", "yes")).patch("/api/v1/profiles/" + id).then().statusCode(400);
        // what a patch cannot change is refused, not ignored, and the rest of that patch is not applied
        asAdmin().body(Map.of("tier", "premium", "email", "changed@example.com", "id", "other")).patch("/api/v1/profiles/" + id)
                .then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors.field", equalTo(List.of("email", "id")))
                .body("errors[0].message", equalTo("cannot be changed (only emailVerified, role, tier)"));
        asAdmin().get("/api/v1/profiles/" + id).then().body("tier", equalTo("selfhosted"))
                .body("email", equalTo(id + "@example.com"));
        as(TestTokens.service()).body(Map.of("tier", "premium")).patch("/api/v1/profiles/" + id).then().statusCode(403);
        asAdmin().body(Map.of("tier", "free")).patch("/api/v1/profiles/no-such-profile").then().statusCode(404)
                .body("code", equalTo("profile_not_found"));
        // each says which admin changed the tier
        assertEquals(2L, Database.count("SELECT count(*) FROM user_activity_log WHERE profile_id = ? "
                + "AND action = 'tier_changed' AND details ->> 'by' = 'admin-1'", id));
        assertEquals(2L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'tier_changed'", id));
    }

    @Test
    void verificationActivatesAndStartsTheTrialOnce() {
        String id = Profiles.register();
        asAdmin().body(Map.of("emailVerified", true)).patch("/api/v1/profiles/" + id).then().statusCode(200)
                .body("emailVerified", equalTo(true)).body("trialEndsAt", notNullValue());
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements").then()
                .body("tier.id", equalTo("premium")).body("tier.source", equalTo("grant"))
                .body("tier.grantedBy", equalTo("trial")).body("emailVerified", equalTo(true));
        asAdmin().body(Map.of("emailVerified", false)).patch("/api/v1/profiles/" + id).then().statusCode(200);
        asAdmin().body(Map.of("emailVerified", true)).patch("/api/v1/profiles/" + id).then().statusCode(200);
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM access_grants WHERE profile_id = ? AND granted_by = 'trial'", id));
    }

    @Test
    void eraseRemovesEveryRowAndTheAddressGetsNoSecondTrial() {
        Settings.set("require_email_verification", "false");
        String id = unique("erase");
        String email = id + "@example.com";
        as(TestTokens.service()).body(Map.of("id", id, "email", email)).post("/api/v1/profiles").then().statusCode(201)
                .body("trialEndsAt", notNullValue());
        as(TestTokens.service()).post("/api/v1/profiles/" + id + "/usage/photos/consume").then().statusCode(200);
        asAdmin().body(Map.of("limit", 9)).put("/api/v1/profiles/" + id + "/overrides/photos").then().statusCode(201);

        as(TestTokens.user(id)).delete("/api/v1/profiles/" + id).then().statusCode(403);
        as(TestTokens.service()).delete("/api/v1/profiles/" + id).then().statusCode(204);
        as(TestTokens.service()).get("/api/v1/profiles/" + id).then().statusCode(404)
                .body("code", equalTo("profile_not_found"));
        as(TestTokens.service()).delete("/api/v1/profiles/" + id).then().statusCode(404);
        for (String table : List.of("access_grants", "user_feature_usage", "user_feature_restrictions",
                "user_activity_log", "user_stats", "coupon_redemptions")) {
            assertEquals(0L, Database.count("SELECT count(*) FROM " + table + " WHERE profile_id = ?", id), table);
        }
        assertEquals(0L, Database.count("SELECT count(*) FROM profiles WHERE id = ?", id));
        assertEquals(0L, Database.count("SELECT count(*) FROM erased_emails WHERE email_hash LIKE ?", "%" + email + "%"));

        String again = unique("again");
        as(TestTokens.service()).body(Map.of("id", again, "email", email.toUpperCase())).post("/api/v1/profiles").then()
                .statusCode(201).body("trialEndsAt", nullValue());
        as(TestTokens.service()).get("/api/v1/profiles/" + again + "/entitlements").then()
                .body("tier.id", equalTo("free")).body("tier.source", equalTo("base"));
    }
}
