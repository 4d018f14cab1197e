package com.acme.subscription.common;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.management;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.acme.subscription.common.error.UnavailableLog;
import com.acme.subscription.support.LogRecords;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TcpProxy;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * What the service logs when the database goes away and comes back: the 503s are answered and
 * reported in one line, not one per request, and nothing is left behind that fails later - no ERROR
 * at all, in particular none from timers of statements that had already failed - and opening new
 * connections warns of nothing. The pool's connection timeout is 300 ms here
 * ({@link ConnectionTimeoutForTests}), not 30 s, so that such a timer would fire within the test.
 */
@QuarkusTest
@TestProfile(OutageLoggingTest.ShortTimeouts.class)
class OutageLoggingTest {

    public static class ShortTimeouts implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(ConnectionTimeoutForTests.PROPERTY, CONNECTION_TIMEOUT.toString());
        }
    }

    private static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(300);

    /** Every timer of a statement run during the outage has fired well before this has passed. */
    private static final Duration TIMERS_FIRED = CONNECTION_TIMEOUT.multipliedBy(4);

    /** Installed before any test of the class opens a pool connection (this profile starts its own service). */
    private static LogRecords logged;

    @Inject
    Pool pool;

    @BeforeAll
    static void collect() {
        logged = LogRecords.collect();
    }

    @AfterAll
    static void stopCollecting() {
        logged.close();
    }

    @AfterEach
    void restore() {
        TcpProxy.switchDatabase(true);
        Settings.restoreSeed();
    }

    @Test
    void anOutageLeavesNoErrorBehind() {
        String profile = Profiles.onTier("free");
        String check = "/api/v1/profiles/" + profile + "/entitlements/photos";
        String consume = "/api/v1/profiles/" + profile + "/usage/photos/consume";

        TcpProxy.switchDatabase(false);
        for (int i = 0; i < 5; i++) {
            as(TestTokens.service()).get(check).then().statusCode(503).body("code", equalTo("unavailable"));
            as(TestTokens.service()).body(Map.of("amount", 1)).post(consume).then().statusCode(503);
            as(TestTokens.service()).get("/api/v1/tiers").then().statusCode(503);
            management().get("/q/health/group/database").then().statusCode(503).body("status", equalTo("DOWN"));
        }
        // a timer left behind by a statement that failed fires after the connection timeout
        Waiting.within(TIMERS_FIRED.multipliedBy(3)).during(TIMERS_FIRED)
                .untilAsserted(() -> assertEquals("", LogRecords.describe(logged.atLeast(Level.SEVERE))));
        // 15 requests were answered 503 through the exception mappers: one line says so (the next in a minute)
        List<LogRecord> unavailable = logged.from(UnavailableLog.class.getName());
        assertEquals(1, unavailable.size(), LogRecords.describe(unavailable));
        assertEquals(Level.WARNING.intValue(), unavailable.get(0).getLevel().intValue());

        TcpProxy.switchDatabase(true);
        as(TestTokens.service()).get(check).then().statusCode(200).body("used", equalTo(0));
        as(TestTokens.service()).body(Map.of("amount", 1)).post(consume).then().statusCode(200).body("used", equalTo(1));
        Waiting.within(TIMERS_FIRED.multipliedBy(3)).during(TIMERS_FIRED)
                .untilAsserted(() -> assertEquals("", LogRecords.describe(logged.atLeast(Level.SEVERE))));
    }

    @Test
    void newConnectionsRegisterNoMeterTwice() {
        // as many connections at once as the pool holds: each is a new one unless an earlier test opened it
        pool.withConnection(a -> a.query("SELECT 1").execute()
                .flatMap(x -> pool.withConnection(b -> b.query("SELECT 1").execute()
                        .flatMap(y -> pool.withConnection(c -> c.query("SELECT 1").execute()
                                .flatMap(z -> pool.withConnection(d -> d.query("SELECT 1").execute())))))))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals("", LogRecords.describe(logged.from("io.micrometer")));
    }
}
