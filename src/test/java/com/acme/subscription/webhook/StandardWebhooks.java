package com.acme.subscription.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a Standard Webhooks signature, written out from the specification and
 * independent of the service's code: the signed content is {@code msg_id.timestamp.payload},
 * the key the base64-decoded secret after {@code whsec_}, the header a space-separated list of
 * {@code v1,<base64>}.
 */
final class StandardWebhooks {

    private StandardWebhooks() {
    }

    static String expected(String secret, String msgId, String timestamp, String payload) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.split("_", 2)[1]);
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        String content = msgId + "." + timestamp + "." + payload;
        return "v1," + Base64.getEncoder().encodeToString(hmac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** True when one of the header's signatures is the secret's. */
    static boolean verifies(String secret, Receiver.Request request) throws Exception {
        return signatures(request).contains(expected(secret, request.header("webhook-id"),
                request.header("webhook-timestamp"), request.body()));
    }

    static List<String> signatures(Receiver.Request request) {
        return Arrays.asList(request.header("webhook-signature").split(" "));
    }
}
