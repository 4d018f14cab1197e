package com.acme.subscription.billing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.time.Timestamps;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** A profile's Stripe customer and subscriptions, and the prices of the tiers, as the billing endpoints read them. */
@ApplicationScoped
public class BillingRepository {

    /**
     * Profile $1 with its newest customer and the subscriptions of every customer it has had (one
     * row each, newest first).
     */
    static final String ACCOUNT = """
            SELECT p.email, c.customer_id, s.id, s.status, tp.tier_id, s.price_id, s.interval, s.current_period_end,
                   s.cancel_at_period_end
            FROM profiles p
            LEFT JOIN billing_customers c ON c.profile_id = p.id
            LEFT JOIN billing_customer_links l ON l.profile_id = p.id
            LEFT JOIN billing_subscriptions s ON s.customer_id = l.customer_id
            LEFT JOIN tier_prices tp ON tp.price_id = s.price_id
            WHERE p.id = $1
            ORDER BY s.created DESC NULLS LAST, s.id
            """;

    /** Profile $1's address and customer. */
    static final String CUSTOMER = """
            SELECT p.email, c.customer_id FROM profiles p LEFT JOIN billing_customers c ON c.profile_id = p.id
            WHERE p.id = $1
            """;

    /** Tier $1, whether it is sold, and its current price for interval $2 (null: none; a retired one is not sold). */
    static final String OFFER = """
            SELECT t.active, tp.price_id FROM tiers t
            LEFT JOIN tier_prices tp ON tp.tier_id = t.id AND tp.interval = $2 AND NOT tp.retired
            WHERE t.id = $1
            """;

    /**
     * Links customer $2 to profile $1 (at $3) unless the profile has one already: of two checkouts
     * racing to create the first customer, one link stays, and both read it back ({@link #LINKED}).
     * A profile erased meanwhile links nothing.
     */
    static final String LINK = """
            INSERT INTO billing_customers (profile_id, customer_id, created)
            SELECT $1, $2, $3 FROM profiles WHERE id = $1
            ON CONFLICT DO NOTHING
            """;

    /** The customer of profile $1: read in its own statement, so that a link committed by a racing checkout is seen. */
    static final String LINKED = "SELECT customer_id FROM billing_customers WHERE profile_id = $1";

    private final Pool pool;

    public BillingRepository(Pool pool) {
        this.pool = pool;
    }

    /** Who pays: the profile's address and its customer (null: none yet). */
    public record Payer(String email, String customerId) {
    }

    /** A tier's price for an interval: {@code priceId} null when it has none. */
    public record Offer(boolean active, String priceId) {
    }

    /** The profile's billing; empty when there is no such profile. */
    public Uni<Optional<BillingView>> account(String profileId) {
        return pool.preparedQuery(ACCOUNT).execute(Tuple.of(profileId)).map(rows -> {
            if (rows.rowCount() == 0) {
                return Optional.empty();
            }
            String customerId = null;
            List<BillingView.Subscription> subscriptions = new ArrayList<>();
            for (Row row : rows) {
                customerId = row.getString("customer_id");
                if (row.getString("id") != null) {
                    subscriptions.add(new BillingView.Subscription(row.getString("id"), row.getString("status"),
                            row.getString("tier_id"), row.getString("price_id"), row.getString("interval"),
                            Timestamps.instant(row.getOffsetDateTime("current_period_end")),
                            row.getBoolean("cancel_at_period_end")));
                }
            }
            return Optional.of(new BillingView(customerId, List.copyOf(subscriptions)));
        });
    }

    /** The profile's address and customer; empty when there is no such profile. */
    public Uni<Optional<Payer>> payer(String profileId) {
        return pool.preparedQuery(CUSTOMER).execute(Tuple.of(profileId))
                .map(rows -> first(rows).map(row -> new Payer(row.getString("email"), row.getString("customer_id"))));
    }

    /** Tier {@code tierId}'s price for the interval; empty when there is no such tier. */
    public Uni<Optional<Offer>> offer(String tierId, BillingInterval interval) {
        return pool.preparedQuery(OFFER).execute(Tuple.of(tierId, interval.wire()))
                .map(rows -> first(rows).map(row -> new Offer(row.getBoolean("active"), row.getString("price_id"))));
    }

    /**
     * Links a new customer to the profile unless it has one, and answers the profile's customer
     * then: this one, or the one a racing checkout linked first. Empty: the profile is gone.
     */
    public Uni<Optional<String>> link(String profileId, String customerId, Instant now) {
        return pool.preparedQuery(LINK).execute(Tuple.of(profileId, customerId, Timestamps.utc(now)))
                .flatMap(inserted -> pool.preparedQuery(LINKED).execute(Tuple.of(profileId)))
                .map(rows -> first(rows).map(row -> row.getString("customer_id")));
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        return rows.rowCount() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
    }
}
