package com.acme.subscription.usage;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.acme.subscription.entitlement.EntitlementSql;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The benchmark's smoke test: the pgbench scripts that measure the database ceiling P must be
 * the service's statements and work like them, or the ratios in bench/README.md mean nothing.
 * bench/BenchSql.java writes them, run here as bench/run.sh runs it (Java's source launcher
 * over the service's classes).
 */
@QuarkusTest
class BenchSqlTest {

    private static final int PHOTOS = 6; // its index in bench/BenchSql.java's feature array
    private static final String HEADER = "\\set n random(1, :profiles)\n\\set f random(1, 7)\n";
    private static final String PROFILE = "('bench-' || :n)";
    private static final String FEATURE = "((ARRAY['weight_entries','circumference_entries','caliper_entries',"
            + "'nutrition_entries','activity_entries','photos','ai_calls'])[:f])";

    private static final Path scripts = Path.of("target/bench-scripts");

    @BeforeAll
    static void runTheBenchmarksWriter() throws IOException, InterruptedException {
        for (String name : new String[] { "check.sql", "consume.sql", "entitlements.sql", "consume_group.sql" }) {
            Files.deleteIfExists(scripts.resolve(name));
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process writer = new ProcessBuilder(java.toString(), "-cp", "target/classes", "bench/BenchSql.java",
                scripts.toString()).redirectErrorStream(true).start();
        String output = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(writer.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, writer.exitValue(), output);
    }

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    @Test
    void theScriptsAreTheServicesStatements() throws IOException {
        assertEquals(HEADER + pgbench(EntitlementSql.CHECK_ONE_RESOLVED) + ";\n", Files.readString(scripts.resolve("check.sql")));
        assertEquals(HEADER + pgbench(UsageSql.CONSUME_RESOLVED) + ";\n", Files.readString(scripts.resolve("consume.sql")));
        assertEquals(HEADER + pgbench(EntitlementSql.CHECK_ALL_RESOLVED) + ";\n",
                Files.readString(scripts.resolve("entitlements.sql")));
        String group = Files.readString(scripts.resolve("consume_group.sql"));
        String statement = UsageSql.CONSUME_ALL_RESOLVED.replaceAll("--[^\n]*", "").replaceAll("\\s+", " ").trim();
        assertEquals(statement.substring(statement.indexOf(" AS q(")).trim(), group.substring(group.indexOf(" AS q(")).trim()
                .replaceAll(";$", "").replace("now()", "$2"), "the group's statement past its arrays");
        for (int i = 0; i < 8; i++) {
            assertTrue(group.contains("\\set n" + i + " " + i + " * (:profiles / 8) + random(1, :profiles / 8)\n"),
                    "consume " + i + " draws from a range of its own");
        }
    }

    @Test
    void theGroupsScriptConsumesForEachOfItsProfiles() throws IOException {
        Settings.set("require_email_verification", "false");
        Settings.set("trial_duration_days", "0");
        long n = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
        String[] ids = new String[8];
        String statement = Files.readAllLines(scripts.resolve("consume_group.sql")).get(16);
        statement = statement.substring(0, statement.length() - 1);
        for (int i = 0; i < 8; i++) {
            ids[i] = "bench-" + (n + i);
            as(TestTokens.service()).body(Map.of("id", ids[i], "email", ids[i] + "@example.com"))
                    .post("/api/v1/profiles").then().statusCode(201);
            asAdmin().body(Map.of("tier", "premium")).patch("/api/v1/profiles/" + ids[i]).then().statusCode(200);
            statement = statement.replaceAll("(?<!:):n" + i + "\\b", Long.toString(n + i))
                    .replaceAll("(?<!:):f" + i + "\\b", Integer.toString(PHOTOS));
        }
        List<Map<String, Object>> rows = Database.query(statement);
        assertEquals(8, rows.size());
        for (Map<String, Object> row : rows) {
            assertEquals(Boolean.TRUE, row.get("changed"), String.valueOf(row.get("consumer")));
        }
        for (String id : ids) {
            as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/photos")
                    .then().statusCode(200).body("used", equalTo(1));
        }
    }

    @Test
    void thePgbenchScriptsCountAndCheckAsTheServiceDoes() throws IOException {
        Settings.set("require_email_verification", "false");
        Settings.set("trial_duration_days", "0");
        long n = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
        String id = "bench-" + n;
        as(TestTokens.service()).body(Map.of("id", id, "email", id + "@example.com")).post("/api/v1/profiles")
                .then().statusCode(201);
        asAdmin().body(Map.of("tier", "premium")).patch("/api/v1/profiles/" + id).then().statusCode(200);

        String consume = script("consume.sql", n);
        assertEquals(Boolean.TRUE, Database.query(consume).get(0).get("changed"));
        assertEquals(Boolean.TRUE, Database.query(consume).get(0).get("changed"));
        assertEquals(2, Database.count(
                "SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'photos'", id));

        // the script is the check's fast statement, and it can answer (fresh) for this profile
        List<Map<String, Object>> check = Database.query(script("check.sql", n));
        assertEquals(1, check.size());
        assertEquals("photos", check.get(0).get("feature_id"));
        assertEquals(2L, ((Number) check.get(0).get("used")).longValue());
        assertEquals(Boolean.TRUE, check.get(0).get("fresh"));
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/photos")
                .then().statusCode(200).body("used", equalTo(2));
    }

    /**
     * A service statement as a pgbench script states it: on one line without comments, with pgbench
     * expressions for profile, now, feature and an amount of 1.
     */
    private static String pgbench(String sql) {
        return sql.replace("$4", "1").replace("$3", FEATURE).replace("$2", "now()").replace("$1", PROFILE)
                .replaceAll("--[^\n]*", "").replaceAll("\\s+", " ").trim();
    }

    /** The statement of a script, as pgbench runs it with these variables (it leaves casts such as ::TEXT alone). */
    private static String script(String name, long n) throws IOException {
        String statement = Files.readAllLines(scripts.resolve(name)).get(2);
        return statement.substring(0, statement.length() - 1)
                .replaceAll("(?<!:):n\\b", Long.toString(n)).replaceAll("(?<!:):f\\b", Integer.toString(PHOTOS));
    }
}
