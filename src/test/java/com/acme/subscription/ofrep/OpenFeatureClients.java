package com.acme.subscription.ofrep;

import java.util.UUID;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.restassured.RestAssured;

/**
 * OpenFeature SDK clients whose OFREP provider talks to the service under test, as an application
 * would use them: base URL of the API port, a bearer token header.
 */
final class OpenFeatureClients {

    private OpenFeatureClients() {
    }

    /** A client of its own domain (a provider carries one token for all its requests). */
    static Client withToken(String token) {
        return withHeaders(ImmutableMap.of("Authorization", ImmutableList.of("Bearer " + token)));
    }

    static Client withoutToken() {
        return withHeaders(ImmutableMap.of());
    }

    private static Client withHeaders(ImmutableMap<String, ImmutableList<String>> headers) {
        OfrepProviderOptions options = OfrepProviderOptions.builder()
                .baseUrl("http://localhost:" + RestAssured.port)
                .headers(headers)
                .build();
        String domain = "ofrep-" + UUID.randomUUID();
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, OfrepProvider.constructProvider(options));
        return OpenFeatureAPI.getInstance().getClient(domain);
    }

    static MutableContext profile(String profileId) {
        return new MutableContext(profileId);
    }

    static MutableContext profile(String profileId, Object amount) {
        MutableContext context = new MutableContext(profileId);
        if (amount instanceof Integer integer) {
            context.add("amount", integer);
        } else if (amount instanceof Double number) {
            context.add("amount", number);
        } else {
            context.add("amount", String.valueOf(amount));
        }
        return context;
    }

    /** Shuts every provider down (their HTTP clients' threads with them); the API is usable again afterwards. */
    static void shutdown() {
        OpenFeatureAPI.getInstance().shutdown();
    }
}
