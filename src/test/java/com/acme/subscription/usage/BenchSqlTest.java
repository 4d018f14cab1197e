package com.acme.subscription.usage;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.entitlement.EntitlementSql;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The benchmark's smoke test: the pgbench scripts that measure the database ceiling P must be
 * the service's statements and work like them, or the ratios in bench/README.md mean nothing.
 */
@QuarkusTest
class BenchSqlTest {

    private static final int PHOTOS = 6; // its index in BenchSql's feature array

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    @Test
    void thePgbenchScriptsCountAndCheckAsTheServiceDoes() {
        Settings.set("require_email_verification", "false");
        Settings.set("trial_duration_days", "0");
        long n = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
        String id = "bench-" + n;
        as(TestTokens.service()).body(Map.of("id", id, "email", id + "@example.com")).post("/api/v1/profiles")
                .then().statusCode(201);
        asAdmin().body(Map.of("tier", "premium")).patch("/api/v1/profiles/" + id).then().statusCode(200);

        String consume = script(BenchSql.pgbench(UsageSql.CONSUME, "1"), n);
        assertEquals(Boolean.TRUE, Database.query(consume).get(0).get("changed"));
        assertEquals(Boolean.TRUE, Database.query(consume).get(0).get("changed"));
        assertEquals(2, Database.count(
                "SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'photos'", id));

        List<Map<String, Object>> check = Database.query(script(BenchSql.pgbench(EntitlementSql.CHECK_ONE, "1"), n));
        assertEquals(1, check.size());
        assertEquals("photos", check.get(0).get("feature_id"));
        assertEquals(2L, ((Number) check.get(0).get("used")).longValue());
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/photos")
                .then().statusCode(200).body("used", equalTo(2));
    }

    /** What pgbench does with the script's variables (it leaves casts such as ::TEXT alone). */
    private static String script(String sql, long n) {
        return sql.replaceAll("(?<!:):n\\b", Long.toString(n)).replaceAll("(?<!:):f\\b", Integer.toString(PHOTOS));
    }
}
