package com.acme.subscription.entitlement;

import static com.acme.subscription.support.ApiTest.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.HeldPool;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Checks run on the pipelined client, not on the pool (PgPoolConfiguration): they go on being
 * answered while every pooled connection is held by transactions that wait, as a job's or an
 * admin's slow transaction may.
 */
@QuarkusTest
class PipelinedCheckTest {

    @Test
    void checksAreAnsweredWhileEveryPooledConnectionIsHeld() throws Exception {
        String profile = Profiles.onTier("free");
        String token = TestTokens.service();
        HeldPool.whileHeld(() -> {
            int check = CompletableFuture.supplyAsync(() -> as(token)
                    .get("/api/v1/profiles/" + profile + "/entitlements/weight_entries").statusCode())
                    .get(10, TimeUnit.SECONDS);
            int all = CompletableFuture.supplyAsync(() -> as(token)
                    .get("/api/v1/profiles/" + profile + "/entitlements").statusCode())
                    .get(10, TimeUnit.SECONDS);
            assertEquals(200, check, "a check while the pool is held");
            assertEquals(200, all, "all features while the pool is held");
        });
    }
}
