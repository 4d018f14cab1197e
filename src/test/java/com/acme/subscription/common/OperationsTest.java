package com.acme.subscription.common;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static com.acme.subscription.support.ApiTest.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.ResourceMethods;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Health, the API description and metrics, without a token (README.md: running the packaged service).
 * The API description has exactly the operations the resource classes declare, read from their annotations.
 */
@QuarkusTest
class OperationsTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
            "trace");

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
    void theApiDocumentHasExactlyTheOperationsOfTheResourceClasses() throws IOException {
        Set<String> documented = new TreeSet<>();
        Map<String, Map<String, Object>> paths = management().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200)
                .body("components.securitySchemes", hasKey("bearer"))
                .body("paths.'/api/v1/tiers/{tierId}'.put.responses", hasKey("201"))
                .extract().path("paths");
        paths.forEach((path, item) -> item.keySet().stream().filter(HTTP_METHODS::contains)
                .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path)));

        // the console's pages (/console) are for browsers, not part of the API: the document leaves them out
        Set<String> served = new TreeSet<>(ResourceMethods.of(Path.of("target/classes"), buildProfile()));
        assertTrue(served.removeIf(operation -> operation.matches("[A-Z]+ /console(/.*)?")), "the console's pages are served");
        assertTrue(served.contains("GET /api/v1/tiers") && served.contains("POST /ofrep/v1/evaluate/flags"),
                "the resource classes were read: " + served);
        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        Set<String> notServed = new TreeSet<>(documented);
        notServed.removeAll(served);
        assertEquals(Set.of(), undocumented, "served but not in the document");
        assertEquals(Set.of(), notServed, "in the document but not served");
        management().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    /** The profile the application under test was built for: dev-only resources are in the test build only. */
    private String buildProfile() {
        return getClass().isAnnotationPresent(QuarkusIntegrationTest.class) ? "prod" : "test";
    }

    @Test
    void theApiPortServesTheApiOnly() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    /** One check and one consume of a new profile: the checks' and the writes' connections are used. */
    private static void checkAndConsume() {
        String profile = Profiles.onTier("free");
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements/photos").then().statusCode(200);
        as(TestTokens.service()).body(Map.of("amount", 1)).post("/api/v1/profiles/" + profile + "/usage/photos/consume")
                .then().statusCode(200);
        Settings.restoreSeed();
    }

    /** pg_stat_activity says which of the service's connections is which. */
    @Test
    void theServicesConnectionsAreNamedInPostgres() {
        checkAndConsume();
        assertEquals(Set.of("subscription-service requests", "subscription-service checks",
                "subscription-service writes"), new TreeSet<>(com.acme.subscription.support.Database.query(
                        "SELECT DISTINCT application_name FROM pg_stat_activity WHERE application_name IN "
                                + "('subscription-service requests', 'subscription-service checks', "
                                + "'subscription-service writes')")
                        .stream().map(row -> (String) row.get("application_name")).toList()));
    }

    @Test
    void metricsArePrometheus() {
        management().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    /**
     * A refusal made before a request meets its route (405: a GET where only POST is served; 400: a
     * URL that does not parse) does not name a series after the path it was sent to: anyone could otherwise add series at will.
     * The refusals of a route keep its name.
     */
    @Test
    void refusedPathsNameNoSeries() throws IOException {
        String key = "no-series-" + UUID.randomUUID();
        given().get("/ofrep/v1/evaluate/flags/" + key).then().statusCode(405);
        asAdmin().body(Map.of("url", "not a url")).post("/api/v1/webhooks").then().statusCode(400);
        // URLs Quarkus cannot parse, refused before routing: a bad escape in the path, and in the query
        assertEquals(400, rawGet("/api/v1/profiles/" + key + "%zz"));
        assertEquals(400, rawGet("/api/v1/profiles/" + key + "?q=%zz"));
        String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(metrics.contains(key), "a series names the path");
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_count")
                && line.contains("status=\"400\"") && line.contains("uri=\"/api/v1/webhooks\"")),
                "the route's refusal is counted under its name");
    }

    /** The status of a GET sent as written: HTTP clients refuse to send a URL that does not parse. */
    private static int rawGet(String target) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    /**
     * Every series has a name that says what it measures: none of Micrometer's "m_" for a meter whose
     * name was empty before its suffix (a database client without a metrics name gave
     * m__processing_seconds, m__queue_size...). The service's own counters, the HTTP server's and the
     * database pool's series are there; the per-connection gauges of the database client are not
     * (each new connection registered them again, while only the first connection's values were kept).
     */
    @Test
    void metricNamesSayWhatTheyMeasure() {
        checkAndConsume();

        Set<String> names = new TreeSet<>();
        for (String line : management().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertEquals(Set.of(), names.stream().filter(name -> name.startsWith("m_")).collect(Collectors.toSet()),
                "names: " + names);
        assertTrue(names.containsAll(Set.of("http_server_requests_seconds_count", "entitlement_checks_total",
                "usage_operations_total", "catalog_cache_loads_total", "sql_pool_queue_size", "sql_pool_active",
                "postgresql_processing_seconds_count", "subscriptions_writes_waiting",
                "subscriptions_writes_group_size_count", "subscriptions_writes_merged_total",
                "subscriptions_writes_pipelined_total")), "names: " + names);
        assertEquals(Set.of(), names.stream().filter(name -> name.startsWith("postgresql_queue_size")
                || name.startsWith("postgresql_current")).collect(Collectors.toSet()), "names: " + names);
    }
}
