package com.acme.subscription.billing;

import com.acme.subscription.settings.SettingKey;

/**
 * Billing as statements. Every Stripe event is applied in one transaction that first records its
 * id ({@link #RECORD_EVENT}), so a redelivery, even one racing the first delivery on another
 * replica, waits for it and then changes nothing.
 */
final class BillingSql {

    /** Records event $1 ($2 type, $3 created, $4 now); no row: it was applied before. */
    static final String RECORD_EVENT = """
            INSERT INTO billing_events (id, type, created, received_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (id) DO NOTHING
            RETURNING id
            """;

    /**
     * Makes customer $2 profile $1's newest at $3 (checkout.session.completed); the customer it had
     * stays linked (V22__every_customer_of_a_profile.sql). An unknown profile, or a customer that
     * another profile has or had, links nothing. The profile is held (KEY SHARE, what the link's
     * foreign key takes) before the link is written: one being erased is waited for and then links
     * nothing, where its foreign key, checked after the erasure, would fail the event.
     */
    static final String LINK_CUSTOMER = """
            INSERT INTO billing_customers AS c (profile_id, customer_id, created)
            SELECT $1, $2, $3 FROM profiles p
            WHERE p.id = $1
              AND NOT EXISTS (SELECT 1 FROM billing_customer_links o WHERE o.customer_id = $2 AND o.profile_id <> $1)
            FOR KEY SHARE OF p
            ON CONFLICT (profile_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, created = EXCLUDED.created
            RETURNING profile_id
            """;

    /** Which of the prices $1 belong to a tier (retired prices too: their subscribers keep the tier). */
    static final String PRICES_OF_TIERS = "SELECT price_id FROM tier_prices WHERE price_id = ANY ($1)";

    /** The subscriptions of customer $1. */
    static final String OF_CUSTOMER = "SELECT id FROM billing_subscriptions WHERE customer_id = $1 ORDER BY id";

    /**
     * The profile of customer $1, locked as a settle locks it, before any subscription row of the
     * customer: the order in which an erasure takes them (the profile, then by cascade and trigger the
     * customer's subscriptions). Taken the other way round, an event and an erasure could deadlock, and
     * a subscription written while the erasure ran would outlive it. No row: no profile has this customer.
     */
    static final String LOCK_CUSTOMER_PROFILE = """
            SELECT p.id FROM billing_customer_links c JOIN profiles p ON p.id = c.profile_id
            WHERE c.customer_id = $1 FOR NO KEY UPDATE OF p""";

    /** Subscription $1 as kept before an event changes it, locked until the event's transaction ends. */
    static final String BEFORE = """
            SELECT status, cancel_at_period_end, price_id FROM billing_subscriptions WHERE id = $1 FOR UPDATE""";

    /**
     * The state of subscription $1 from a subscription object (customer $2, status $3, price $4,
     * interval $5, period end $6, cancel at period end $7) told by an event created at $8 (now $9),
     * unless a newer event told its state already (then no row). A subscription that Stripe ended
     * (canceled, incomplete_expired) stays ended whatever comes after, and the news of its end wins
     * whenever it comes: Stripe never brings one back. One that left 'incomplete' never returns to it
     * (Stripe's first state), even told in the same second. paid_through starts at the first period
     * of an active or trialing subscription and follows a trial's end; later periods count once paid
     * (invoice.paid).
     */
    static final String SUBSCRIPTION_STATE = """
            INSERT INTO billing_subscriptions AS s (id, customer_id, status, price_id, interval, current_period_end,
                cancel_at_period_end, paid_through, state_at, created, updated)
            VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $3 IN ('active', 'trialing') THEN $6::TIMESTAMPTZ END,
                $8, $9, $9)
            ON CONFLICT (id) DO UPDATE SET customer_id = EXCLUDED.customer_id, status = EXCLUDED.status,
                price_id = EXCLUDED.price_id, interval = EXCLUDED.interval,
                current_period_end = EXCLUDED.current_period_end,
                cancel_at_period_end = EXCLUDED.cancel_at_period_end,
                paid_through = CASE
                    WHEN EXCLUDED.status = 'trialing' THEN greatest(s.paid_through, EXCLUDED.current_period_end)
                    WHEN EXCLUDED.status = 'active' THEN coalesce(s.paid_through, EXCLUDED.current_period_end)
                    ELSE s.paid_through END,
                state_at = greatest(s.state_at, EXCLUDED.state_at), updated = EXCLUDED.updated
            WHERE s.status NOT IN ('canceled', 'incomplete_expired')
                AND (EXCLUDED.status IN ('canceled', 'incomplete_expired')
                    OR s.state_at <= EXCLUDED.state_at AND (EXCLUDED.status <> 'incomplete' OR s.status = 'incomplete'))
            RETURNING s.id
            """;

    /**
     * An invoice of customer $2 paid subscription $1 through $3 (now $4): paid_through moves on,
     * never back. A subscription not told yet is kept as 'incomplete' until its own event comes.
     */
    static final String PAID = """
            INSERT INTO billing_subscriptions AS s (id, customer_id, status, paid_through, state_at, created, updated)
            VALUES ($1, $2, 'incomplete', $3, '-infinity', $4, $4)
            ON CONFLICT (id) DO UPDATE SET paid_through = greatest(s.paid_through, EXCLUDED.paid_through),
                updated = EXCLUDED.updated
            RETURNING id
            """;

    /** A failed payment of subscription $1 told by an event created at $2 (now $3): past due, unless newer news came. */
    static final String PAYMENT_FAILED = """
            UPDATE billing_subscriptions SET status = 'past_due', state_at = $2, updated = $3
            WHERE id = $1 AND state_at <= $2 AND status IN ('active', 'trialing')
            RETURNING id
            """;

    /** Subscription $1 with its profile, the tier of its price and the grace days. */
    static final String FOR_SETTLE = """
            SELECT s.id, s.customer_id, s.status, s.price_id, s.interval, s.current_period_end, s.cancel_at_period_end,
                   s.paid_through, c.profile_id, tp.tier_id,
                   (SELECT %1$s::INTEGER FROM %2$s) AS grace_days
            FROM billing_subscriptions s
            LEFT JOIN billing_customer_links c ON c.customer_id = s.customer_id
            LEFT JOIN tier_prices tp ON tp.price_id = s.price_id
            WHERE s.id = $1
            """.formatted(SettingKey.BILLING_GRACE_DAYS.sql(), SettingKey.rows(SettingKey.BILLING_GRACE_DAYS));

    private BillingSql() {
    }

}
