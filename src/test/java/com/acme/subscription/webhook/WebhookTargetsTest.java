package com.acme.subscription.webhook;

import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Events;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * As in production: private targets refused (when saved, and again when sent, since DNS
 * answers change), and new events wake the dispatcher at once (LISTEN deliveries_queued), with
 * the schedule off.
 */
@QuarkusTest
@TestProfile(WebhookTargetsTest.AsInProduction.class)
class WebhookTargetsTest {

    public static class AsInProduction implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("subscriptions.webhooks.allow-private-targets", "false",
                    "subscriptions.webhooks.listen", "true");
        }
    }

    @Test
    void privateTargetsAreRefusedWhenSaved() {
        for (String url : List.of("http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]/x",
                "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/x", "http://192.168.0.1/x",
                "http://172.16.0.1/x", "http://0.0.0.0/x", "http://[fd00::1]/x", "http://[::ffff:127.0.0.1]/x",
                "http://[64:ff9b::7f00:1]/x", "http://[2002:7f00:1::1]/x",
                // a port no connection can have
                "http://93.184.215.14:0/x", "http://93.184.215.14:99999/x")) {
            asAdmin().body(Map.of("url", url)).post("/api/v1/webhooks").then().statusCode(400)
                    .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("url"));
        }
        // a public address is accepted
        String id = asAdmin().body(Map.of("url", "http://93.184.215.14/hooks")).post("/api/v1/webhooks").then()
                .statusCode(201).extract().jsonPath().getString("id");
        asAdmin().body(Map.of("url", "http://127.0.0.1/x")).patch("/api/v1/webhooks/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("url"));
        asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
    }

    @Test
    void aTargetThatTurnedPrivateIsRefusedWhenSentAndANewEventLeavesAtOnce() throws Exception {
        try (Receiver receiver = new Receiver()) {
            // as if the endpoint's name had resolved to a public address when it was saved
            String id = UUID.randomUUID().toString();
            Database.update("""
                    INSERT INTO webhook_endpoints (id, url, secret, created, updated)
                    VALUES (?, ?, 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', now(), now())""", id, receiver.url());
            try {
                Events.append("p-" + UUID.randomUUID(), "grant.created", "{}", Instant.now());

                // the scheduler is off: only the notification can have started the dispatcher
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(
                        () -> Database.count("SELECT count(*) FROM webhook_attempts WHERE endpoint_id = ?", id) == 1);
                asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then().statusCode(200)
                        .body("items[0].statusCode", equalTo(null))
                        .body("items[0].error", startsWith("refused target"))
                        .body("items[0].deliveryStatus", equalTo("pending"));
                assertEquals(0, receiver.requests.size(), "nothing was sent to the private address");
            } finally {
                asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
            }
        }
    }

    @Test
    void onlyPublicAddressesArePublic() throws Exception {
        for (String address : List.of("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
                "64:ff9b::5db8:d70e", "2002:5db8:d70e::1", "2001:200::1", "3fff:1000::1")) {
            assertTrue(TargetGuard.isPublic(java.net.InetAddress.getByName(address)), address);
        }
        for (String address : List.of("127.0.0.1", "10.0.0.1", "172.31.255.255", "192.168.1.1", "169.254.1.1",
                "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1", "224.0.0.1", "255.255.255.255",
                // documentation and discard ranges, and IPv4 addresses inside IPv6 ones: NAT64 (well-known and
                // local prefix), 6to4, IPv4-compatible, IPv4-translated; Teredo and the rest of the IETF's
                // 2001::/23 (benchmarking 2001:2::/48), the newer documentation range 3fff::/20
                "192.0.2.1", "198.51.100.1", "203.0.113.1", "2001:db8::1", "100::1", "64:ff9b::7f00:1",
                "64:ff9b::a9fe:a9fe", "64:ff9b:1::5db8:d70e", "2002:7f00:1::1", "2002:a00:1::1", "::127.0.0.1",
                "::ffff:0:7f00:1", "2001::1", "2001:2::1", "2001:1ff::1", "3fff::1", "3fff:fff:ffff::1")) {
            assertTrue(!TargetGuard.isPublic(java.net.InetAddress.getByName(address)), address);
        }
    }
}
