package com.acme.subscription.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Page;
import com.acme.subscription.common.config.SubscriptionsConfig;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.StrictJsonCustomizer;
import com.acme.subscription.event.EventType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/** The administration of webhook endpoints (docs/webhooks.md). */
@ApplicationScoped
public class WebhookService {

    static final Set<String> PATCHABLE = Set.of("url", "eventTypes", "description", "active");
    static final Set<String> STATUSES = Set.of("pending", "delivered", "failed");
    private static final Set<String> TYPES = Arrays.stream(EventType.values()).map(EventType::type)
            .collect(Collectors.toUnmodifiableSet());

    private final WebhookRepository webhooks;
    private final TargetGuard guard;
    private final Secrets secrets;
    private final Clock clock;
    private final SubscriptionsConfig config;

    public WebhookService(WebhookRepository webhooks, TargetGuard guard, Secrets secrets, Clock clock,
            SubscriptionsConfig config) {
        this.webhooks = webhooks;
        this.guard = guard;
        this.secrets = secrets;
        this.clock = clock;
        this.config = config;
    }

    public Uni<WebhookCreated> create(WebhookInput input) {
        List<String> types = types(input.eventTypes());
        String secret = secrets.generate();
        return guard.checkForApi(input.url())
                .flatMap(url -> webhooks.insert(UUID.randomUUID().toString(), url, types, input.description(),
                        input.activeOrDefault(), secret, clock.instant()))
                .map(view -> WebhookCreated.of(view, secret));
    }

    public Uni<List<WebhookView>> list() {
        return webhooks.list();
    }

    /** How delivery stands per endpoint (the console's overview). */
    public Uni<List<WebhookHealth>> health() {
        return webhooks.health();
    }

    public Uni<WebhookView> get(String id) {
        return webhooks.get(id).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    /** Changes only url, eventTypes, description and active; a new URL is checked like a new endpoint's. */
    public Uni<WebhookView> patch(String id, ObjectNode patch) {
        patch.fieldNames().forEachRemaining(field -> {
            if (!PATCHABLE.contains(field)) {
                throw ApiException.invalid(field, "cannot be changed (only active, description, eventTypes, url)");
            }
        });
        List<String> types = patch.has("eventTypes") ? types(stringList(patch.get("eventTypes"))) : null;
        Boolean active = patch.has("active") ? bool(patch.get("active")) : null;
        String description = patch.has("description") ? description(patch.get("description")) : null;
        Uni<String> url = patch.has("url") ? guard.checkForApi(url(patch.get("url"))) : Uni.createFrom().nullItem();
        return url.flatMap(newUrl -> get(id).flatMap(current -> webhooks.update(id,
                newUrl != null ? newUrl : current.url(),
                types != null ? types : current.eventTypes(),
                patch.has("description") ? description : current.description(),
                active != null ? active : current.active(), clock.instant())))
                .map(found -> found.orElseThrow(() -> notFound(id)));
    }

    public Uni<Void> delete(String id) {
        return webhooks.delete(id).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return null;
        });
    }

    public Uni<WebhookSecret> rotate(String id) {
        String secret = secrets.generate();
        Instant now = clock.instant();
        return webhooks.rotate(id, secret, now.plus(config.webhooks().previousSecretFor()), now)
                .map(until -> new WebhookSecret(secret, until.orElseThrow(() -> notFound(id))));
    }

    public Uni<Page<DeliveryAttempt>> deliveries(String id, String status, Page.Request request) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.invalid("status", "must be pending, delivered or failed");
        }
        return get(id).flatMap(found -> webhooks.attempts(id, status, request));
    }

    public Uni<DeliveryView> retry(String id, String eventId) {
        UUID event;
        try {
            event = UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
            throw deliveryNotFound(eventId);
        }
        return get(id).flatMap(found -> webhooks.retry(id, event, clock.instant()))
                .map(found -> found.orElseThrow(() -> deliveryNotFound(eventId)));
    }

    public Uni<Replayed> replay(String id, Replay replay) {
        return get(id).flatMap(found -> webhooks.replay(id, replay.since(), clock.instant())).map(Replayed::new);
    }

    private static List<String> types(List<String> requested) {
        if (requested == null) {
            return List.of();
        }
        Set<String> types = new LinkedHashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String type = requested.get(i);
            if (type == null || !TYPES.contains(type)) {
                throw ApiException.invalid("eventTypes[" + i + "]", "is not an event type");
            }
            types.add(type);
        }
        return new ArrayList<>(types);
    }

    private static List<String> stringList(JsonNode node) {
        if (!node.isArray()) {
            throw ApiException.invalid("eventTypes", "must be an array of event types");
        }
        List<String> list = new ArrayList<>();
        node.forEach(item -> list.add(item.isTextual() ? item.textValue() : null));
        if (list.size() > 100) {
            throw ApiException.invalid("eventTypes", "must have at most 100 entries");
        }
        return list;
    }

    private static String url(JsonNode node) {
        if (!node.isTextual() || node.textValue().isBlank() || node.textValue().length() > 2000) {
            throw ApiException.invalid("url", "must be an absolute URL of at most 2000 characters");
        }
        return StrictJsonCustomizer.storable("url", node.textValue());
    }

    private static String description(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().length() > 1000) {
            throw ApiException.invalid("description", "must be a string of at most 1000 characters or null");
        }
        return StrictJsonCustomizer.storable("description", node.textValue());
    }

    private static boolean bool(JsonNode node) {
        if (!node.isBoolean()) {
            throw ApiException.invalid("active", "must be true or false");
        }
        return node.booleanValue();
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("webhook_not_found", "There is no webhook endpoint '" + id + "'.");
    }

    private static ApiException deliveryNotFound(String eventId) {
        return ApiException.notFound("delivery_not_found", "The endpoint has no delivery of event '" + eventId + "'.");
    }
}
