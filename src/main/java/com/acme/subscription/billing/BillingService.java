package com.acme.subscription.billing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.acme.subscription.activity.ActivityLog;
import com.acme.subscription.activity.Origin;
import com.acme.subscription.common.time.Timestamps;
import com.acme.subscription.event.EventOutbox;
import com.acme.subscription.event.EventType;
import com.acme.subscription.grant.GrantRepository;
import com.acme.subscription.grant.GrantService;
import com.acme.subscription.grant.GrantView;
import com.acme.subscription.grant.NewGrant;
import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Stripe events applied to grants (docs/billing.md). Each event, in one transaction: its id is
 * recorded (a second delivery changes nothing), the subscription state it tells is kept unless a
 * newer event told one, and then every subscription it touched is settled: its grant made to match
 * its newest state, under the profile's lock, as any other grant change.
 */
@ApplicationScoped
public class BillingService {

    private static final Logger LOG = Logger.getLogger(BillingService.class);

    /** Subscriptions that pay: their grant runs to the paid period's end (plus grace). */
    static final Set<String> PAYING = Set.of("active", "trialing", "past_due");
    /** Subscriptions that ended: their grant ends now. */
    static final Set<String> ENDED = Set.of("canceled", "unpaid", "incomplete_expired");

    private final Pool pool;
    private final Clock clock;
    private final GrantRepository grants;
    private final GrantService grantService;
    private final ActivityLog activity;
    private final EventOutbox events;

    public BillingService(Pool pool, Clock clock, GrantRepository grants, GrantService grantService, ActivityLog activity,
            EventOutbox events) {
        this.pool = pool;
        this.clock = clock;
        this.grants = grants;
        this.grantService = grantService;
        this.activity = activity;
        this.events = events;
    }

    /** Applies a verified event once; answers whether it changed anything (false: a redelivery or not handled). */
    public Uni<Boolean> apply(StripeEvent event) {
        Instant now = clock.instant();
        Origin origin = activity.origin();
        return pool.withTransaction(tx -> tx.preparedQuery(BillingSql.RECORD_EVENT)
                .execute(Tuple.of(event.id(), event.type(), Timestamps.utc(event.created()), Timestamps.utc(now)))
                .flatMap(recorded -> recorded.rowCount() == 0 ? Uni.createFrom().item(false)
                        : handle(tx, event, now, origin)));
    }

    /** Acts on a new event; false for the types billing does not act on (acknowledged and left). */
    private Uni<Boolean> handle(SqlClient tx, StripeEvent event, Instant now, Origin origin) {
        JsonNode object = event.object();
        Uni<Void> acted = switch (event.type()) {
            case "checkout.session.completed" -> linkCustomer(tx, object, now, origin);
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" ->
                subscriptionState(tx, event, now, origin);
            case "invoice.paid" -> paid(tx, object, now, origin);
            case "invoice.payment_failed" -> paymentFailed(tx, event, now, origin);
            default -> null;
        };
        return acted == null ? Uni.createFrom().item(false) : acted.replaceWith(true);
    }

    private Uni<Void> linkCustomer(SqlClient tx, JsonNode session, Instant now, Origin origin) {
        String profileId = session.path("client_reference_id").asText(null);
        String customerId = StripeEvent.id(session.get("customer"));
        if (!"subscription".equals(session.path("mode").asText()) || profileId == null || customerId == null) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(BillingSql.LINK_CUSTOMER).execute(Tuple.of(profileId, customerId, Timestamps.utc(now)))
                .flatMap(linked -> {
                    if (linked.rowCount() == 0) {
                        LOG.warnf("Checkout of customer %s names profile %s, which does not exist or another customer has",
                                customerId, profileId);
                        return Uni.createFrom().voidItem();
                    }
                    return tx.preparedQuery(BillingSql.OF_CUSTOMER).execute(Tuple.of(customerId))
                            .flatMap(rows -> settleAll(tx, ids(rows), origin, Map.of()));
                });
    }

    private Uni<Void> subscriptionState(SqlClient tx, StripeEvent event, Instant now, Origin origin) {
        JsonNode items = event.object().path("items").path("data");
        if (items.size() < 2) {
            return subscriptionState(tx, event, items.path(0), now, origin);
        }
        // several items (a tier and add-ons, say): the item whose price is a tier's decides
        List<String> prices = new ArrayList<>();
        items.forEach(item -> prices.add(item.path("price").path("id").asText("")));
        return tx.preparedQuery(BillingSql.PRICES_OF_TIERS).execute(Tuple.of(prices.toArray(String[]::new)))
                .flatMap(rows -> {
                    Set<String> ofTiers = new HashSet<>();
                    rows.forEach(row -> ofTiers.add(row.getString("price_id")));
                    JsonNode chosen = items.path(0);
                    for (JsonNode item : items) {
                        if (ofTiers.contains(item.path("price").path("id").asText(""))) {
                            chosen = item;
                            break;
                        }
                    }
                    return subscriptionState(tx, event, chosen, now, origin);
                });
    }

    private Uni<Void> subscriptionState(SqlClient tx, StripeEvent event, JsonNode item, Instant now, Origin origin) {
        JsonNode subscription = event.object();
        String status = event.type().endsWith(".deleted") ? "canceled" : subscription.path("status").asText();
        // current_period_end is on the subscription item since API version 2025-03-31, on the subscription before
        Instant periodEnd = Optional.ofNullable(StripeEvent.instant(item.get("current_period_end")))
                .orElse(StripeEvent.instant(subscription.get("current_period_end")));
        JsonNode price = item.path("price");
        Tuple state = Tuple.from(Arrays.asList(subscription.path("id").asText(),
                StripeEvent.id(subscription.get("customer")), status, price.path("id").asText(null),
                price.path("recurring").path("interval").asText(null), Timestamps.utc(periodEnd),
                subscription.path("cancel_at_period_end").asBoolean(false), Timestamps.utc(event.created()),
                Timestamps.utc(now)));
        String id = subscription.path("id").asText();
        if (state.getString(1) == null) {
            LOG.warnf("Stripe event %s tells subscription %s without its customer; it changes nothing", event.id(), id);
            return Uni.createFrom().voidItem();
        }
        return lockCustomerProfile(tx, state.getString(1)).flatMap(locked -> tx.preparedQuery(BillingSql.BEFORE)
                .execute(Tuple.of(id))).flatMap(kept -> {
            Row was = kept.rowCount() == 0 ? null : kept.iterator().next();
            Before before = was == null ? new Before(null, false, null)
                    : new Before(was.getString("status"), was.getBoolean("cancel_at_period_end"), was.getString("price_id"));
            return tx.preparedQuery(BillingSql.SUBSCRIPTION_STATE).execute(state)
                    .flatMap(rows -> rows.rowCount() == 0 ? Uni.createFrom().voidItem() // older than the state kept
                            : settleAll(tx, List.of(id), origin, Map.of(id, before)));
        });
    }

    private Uni<Void> paid(SqlClient tx, JsonNode invoice, Instant now, Origin origin) {
        String subscriptionId = invoiceSubscription(invoice);
        Instant periodEnd = invoicePeriodEnd(invoice);
        if (subscriptionId == null || periodEnd == null || StripeEvent.id(invoice.get("customer")) == null) {
            return Uni.createFrom().voidItem(); // not an invoice of a subscription, or not one Stripe would send
        }
        return lockCustomerProfile(tx, StripeEvent.id(invoice.get("customer")))
                .flatMap(locked -> tx.preparedQuery(BillingSql.PAID)
                        .execute(Tuple.of(subscriptionId, StripeEvent.id(invoice.get("customer")),
                                Timestamps.utc(periodEnd), Timestamps.utc(now))))
                .flatMap(rows -> settleAll(tx, List.of(subscriptionId), origin, Map.of()));
    }

    private Uni<Void> paymentFailed(SqlClient tx, StripeEvent event, Instant now, Origin origin) {
        String subscriptionId = invoiceSubscription(event.object());
        if (subscriptionId == null) {
            return Uni.createFrom().voidItem();
        }
        return lockCustomerProfile(tx, StripeEvent.id(event.object().get("customer")))
                .flatMap(locked -> tx.preparedQuery(BillingSql.PAYMENT_FAILED)
                        .execute(Tuple.of(subscriptionId, Timestamps.utc(event.created()), Timestamps.utc(now))))
                .flatMap(rows -> rows.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : settleAll(tx, List.of(subscriptionId), origin,
                                Map.of(subscriptionId, new Before("active", false, null))));
    }

    /** Locks the profile of this customer, if any, before its subscriptions ({@link BillingSql#LOCK_CUSTOMER_PROFILE}). */
    private static Uni<Void> lockCustomerProfile(SqlClient tx, String customerId) {
        return customerId == null ? Uni.createFrom().voidItem()
                : tx.preparedQuery(BillingSql.LOCK_CUSTOMER_PROFILE).execute(Tuple.of(customerId)).replaceWithVoid();
    }

    /** The subscription of an invoice: under parent.subscription_details since API version 2025-03-31. */
    static String invoiceSubscription(JsonNode invoice) {
        String id = StripeEvent.id(invoice.path("parent").path("subscription_details").get("subscription"));
        return id != null ? id : StripeEvent.id(invoice.get("subscription"));
    }

    /** The end of the latest period an invoice's lines pay for. */
    static Instant invoicePeriodEnd(JsonNode invoice) {
        Instant end = null;
        for (JsonNode line : invoice.path("lines").path("data")) {
            Instant lineEnd = StripeEvent.instant(line.path("period").get("end"));
            if (lineEnd != null && (end == null || lineEnd.isAfter(end))) {
                end = lineEnd;
            }
        }
        return end != null ? end : StripeEvent.instant(invoice.get("period_end"));
    }

    /** What a subscription was before this event: for the subscription.* events of a change. */
    record Before(String status, boolean cancelAtPeriodEnd, String priceId) {

        /** Whether this event moved the subscription from a price it had to another one. */
        boolean priceChangedTo(String price) {
            return priceId != null && !priceId.equals(price);
        }

        /** Whether this event took back a cancellation at the period's end. */
        boolean uncancelledBy(Subscription now) {
            return cancelAtPeriodEnd && !now.cancelAtPeriodEnd();
        }
    }

    private Uni<Void> settleAll(SqlClient tx, List<String> subscriptionIds, Origin origin,
            Map<String, Before> before) {
        return Multi.createFrom().iterable(subscriptionIds)
                .onItem().transformToUniAndConcatenate(id -> settle(tx, id, origin, before.get(id)))
                .collect().last().replaceWithVoid();
    }

    /** Makes the grant of subscription {@code id} match its newest state, at the time its profile's lock answers. */
    private Uni<Void> settle(SqlClient tx, String id, Origin origin, Before before) {
        return tx.preparedQuery(BillingSql.FOR_SETTLE).execute(Tuple.of(id)).flatMap(rows -> {
            Row row = rows.iterator().next();
            String profileId = row.getString("profile_id");
            if (profileId == null) {
                return Uni.createFrom().voidItem(); // its checkout has not been told yet: it settles then
            }
            Subscription subscription = Subscription.from(row);
            return grantService.lockAndSettle(tx, profileId)
                    .flatMap(locked -> grants.ofSubscription(tx, id)
                            .flatMap(current -> change(tx, profileId, subscription, before, current, locked, origin))
                            .flatMap(started -> announce(tx, profileId, subscription, before, started, locked)));
        });
    }

    /** Makes the grant match; answers whether a grant started where none was (the subscription activated). */
    private Uni<Boolean> change(SqlClient tx, String profileId, Subscription subscription, Before before,
            Optional<GrantView> current, Instant now, Origin origin) {
        Optional<Instant> until = subscription.grantUntil();
        if (ENDED.contains(subscription.status())) {
            return current.map(grant -> end(tx, profileId, grant, "subscription " + subscription.status(), now, origin))
                    .orElse(Uni.createFrom().voidItem()).replaceWith(false);
        }
        if (current.isPresent() && subscription.tierId() == null && PAYING.contains(subscription.status())
                && before != null && before.priceChangedTo(subscription.priceId())) {
            // a change to a price of no tier: the old tier ends, as at any price change, and none starts
            // (only a change of price ends it: a price that stays, its tier deleted meanwhile, changes nothing here)
            return end(tx, profileId, current.get(), "subscription changed to " + subscription.priceId()
                    + ", which grants no tier", now, origin).replaceWith(false);
        }
        if (until.isEmpty() || !until.get().isAfter(now)) {
            return Uni.createFrom().item(false); // not paying, or its paid time is over: the grant runs out by itself
        }
        if (current.isEmpty()) {
            return start(tx, profileId, subscription, until.get(), now, origin).replaceWith(true);
        }
        GrantView grant = current.get();
        if (!grant.tierId().equals(subscription.tierId())) {
            // a price change (or a retired price that another tier took over): the new tier at once,
            // announced as one change of tier
            String reason = before == null || before.priceChangedTo(subscription.priceId())
                    ? "subscription changed to " + subscription.priceId()
                    : "price " + subscription.priceId() + " now grants tier " + subscription.tierId();
            return grants.replace(tx, grant.id(), subscriptionGrant(profileId, subscription, until.get(), now), now, origin)
                    .call(created -> logRevoked(tx, profileId, grant, reason, now))
                    .call(created -> activity.append(tx, profileId, ActivityLog.GRANT_CREATED,
                            GrantService.details(created), now))
                    .replaceWith(false);
        }
        if (!grant.validUntil().equals(until.get())) {
            // a later end is a renewal when a payment brought it, not when a cancellation was taken back
            boolean renewed = until.get().isAfter(grant.validUntil()) && (before == null || !before.uncancelledBy(subscription));
            return grants.moveEnd(tx, grant.id(), until.get(), now)
                    .call(moved -> renewed ? events.append(tx, profileId, EventType.SUBSCRIPTION_RENEWED,
                            eventData(subscription, moved), now) : Uni.createFrom().voidItem())
                    .replaceWith(false);
        }
        return Uni.createFrom().item(false);
    }

    private Uni<Void> start(SqlClient tx, String profileId, Subscription subscription, Instant until, Instant now,
            Origin origin) {
        return grants.create(tx, subscriptionGrant(profileId, subscription, until, now), now, origin)
                .call(created -> activity.append(tx, profileId, ActivityLog.GRANT_CREATED, GrantService.details(created), now))
                .replaceWithVoid();
    }

    /** The grant a paying subscription gives: its tier, from now to until. */
    private static NewGrant subscriptionGrant(String profileId, Subscription subscription, Instant until, Instant now) {
        return new NewGrant(profileId, subscription.tierId(), NewGrant.SUBSCRIPTION, null, false, now, until,
                subscription.id());
    }

    private Uni<Void> end(SqlClient tx, String profileId, GrantView grant, String reason, Instant now, Origin origin) {
        return grants.revoke(tx, grant.id(), now, origin)
                .call(revoked -> logRevoked(tx, profileId, grant, reason, now))
                .replaceWithVoid();
    }

    /** The activity entry of a subscription's grant that was revoked, with why. */
    private Uni<Void> logRevoked(SqlClient tx, String profileId, GrantView grant, String reason, Instant now) {
        return activity.append(tx, profileId, ActivityLog.GRANT_REVOKED,
                Map.of("grantId", grant.id(), "tierId", grant.tierId(), "reason", reason), now);
    }

    /** subscription.activated, .renewed, .past_due, .canceled: what changed for the customer. */
    private Uni<Void> announce(SqlClient tx, String profileId, Subscription subscription, Before before,
            boolean started, Instant now) {
        return grants.ofSubscription(tx, subscription.id()).flatMap(grant -> {
            EventType type = started ? EventType.SUBSCRIPTION_ACTIVATED : subscription.eventAfter(before);
            if (type == null) {
                return Uni.createFrom().voidItem();
            }
            return events.append(tx, profileId, type, eventData(subscription, grant.orElse(null)), now);
        });
    }

    /** The data of a subscription.* event: the subscription and its grant in force (null: none). */
    private static Map<String, Object> eventData(Subscription subscription, GrantView grant) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscription", subscription.view());
        data.put("grant", grant);
        return data;
    }

    private static List<String> ids(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<String> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getString("id")));
        return ids;
    }

    /** A subscription's newest state, as settle reads it. */
    record Subscription(String id, String status, String priceId, String interval, String tierId,
            Instant currentPeriodEnd, boolean cancelAtPeriodEnd, Instant paidThrough, int graceDays) {

        static Subscription from(Row row) {
            Integer grace = row.getInteger("grace_days");
            return new Subscription(row.getString("id"), row.getString("status"), row.getString("price_id"),
                    row.getString("interval"), row.getString("tier_id"),
                    Timestamps.instant(row.getOffsetDateTime("current_period_end")), row.getBoolean("cancel_at_period_end"),
                    Timestamps.instant(row.getOffsetDateTime("paid_through")), grace == null ? 3 : grace);
        }

        /**
         * Where its grant ends: the paid period's end plus the grace days while it pays; the period's
         * end, without grace, once it is set to cancel then, but never past what the grace gives (a
         * past-due period set to cancel is not paid). Empty: no grant (not paying, no tier).
         */
        Optional<Instant> grantUntil() {
            if (!PAYING.contains(status) || tierId == null || paidThrough == null) {
                return Optional.empty();
            }
            Instant paid = paidThrough.plus(Duration.ofDays(graceDays));
            if (cancelAtPeriodEnd && currentPeriodEnd != null && currentPeriodEnd.isBefore(paid)) {
                return Optional.of(currentPeriodEnd);
            }
            return Optional.of(paid);
        }

        /** What a change of state announces (a grant that started is subscription.activated, decided by settle). */
        EventType eventAfter(Before before) {
            String was = before == null ? null : before.status();
            boolean wasCancelling = before != null && before.cancelAtPeriodEnd();
            if (ENDED.contains(status)) {
                return was == null || ENDED.contains(was) || wasCancelling ? null : EventType.SUBSCRIPTION_CANCELED;
            }
            if (cancelAtPeriodEnd && !wasCancelling && before != null) {
                return EventType.SUBSCRIPTION_CANCELED;
            }
            if ("past_due".equals(status) && !"past_due".equals(was) && before != null) {
                return EventType.SUBSCRIPTION_PAST_DUE;
            }
            return null;
        }

        Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", id);
            view.put("status", status);
            view.put("tierId", tierId);
            view.put("priceId", priceId);
            view.put("interval", interval);
            view.put("currentPeriodEnd", currentPeriodEnd == null ? null : currentPeriodEnd.toString());
            view.put("cancelAtPeriodEnd", cancelAtPeriodEnd);
            return view;
        }
    }
}
