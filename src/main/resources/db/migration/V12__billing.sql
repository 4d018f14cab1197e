-- Billing: Stripe subscriptions drive tiers (docs/billing.md).

-- A price id belongs to at most one tier and one interval: the tiers' price columns are mirrored
-- here by a trigger, so a second tier naming a taken price fails on the primary key
-- (tier_prices_pkey: 409 price_id_taken), however many admins save tiers at once.
CREATE TABLE tier_prices (
    price_id TEXT PRIMARY KEY,
    tier_id  TEXT NOT NULL REFERENCES tiers (id) ON DELETE CASCADE,
    interval TEXT NOT NULL,
    CONSTRAINT tier_prices_interval CHECK (interval IN ('month', 'year'))
);
CREATE UNIQUE INDEX idx_tier_prices_tier_interval ON tier_prices (tier_id, interval);

CREATE FUNCTION mirror_tier_prices() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tier_prices WHERE tier_id = NEW.id;
    INSERT INTO tier_prices (price_id, tier_id, interval)
    SELECT p.price_id, NEW.id, p.interval
    FROM (VALUES (NEW.stripe_price_id_monthly, 'month'), (NEW.stripe_price_id_yearly, 'year')) p (price_id, interval)
    WHERE p.price_id IS NOT NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER tiers_prices AFTER INSERT OR UPDATE OF stripe_price_id_monthly, stripe_price_id_yearly ON tiers
    FOR EACH ROW EXECUTE FUNCTION mirror_tier_prices();
INSERT INTO tier_prices (price_id, tier_id, interval)
SELECT stripe_price_id_monthly, id, 'month' FROM tiers WHERE stripe_price_id_monthly IS NOT NULL
UNION ALL
SELECT stripe_price_id_yearly, id, 'year' FROM tiers WHERE stripe_price_id_yearly IS NOT NULL;

-- The Stripe customer of a profile (checkout.session.completed with client_reference_id).
CREATE TABLE billing_customers (
    profile_id  TEXT PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL UNIQUE,
    created     TIMESTAMPTZ NOT NULL
);

-- The newest state of each Stripe subscription that the webhooks told. state_at is the creation
-- time of the Stripe event that carried it: an older event never overwrites a newer state.
-- paid_through is the end of the latest period paid for (invoice.paid, or the period of an
-- active or trialing subscription); a grant runs to it plus billing_grace_days.
CREATE TABLE billing_subscriptions (
    id                   TEXT PRIMARY KEY,
    customer_id          TEXT NOT NULL,
    status               TEXT NOT NULL,
    price_id             TEXT,
    interval             TEXT,
    current_period_end   TIMESTAMPTZ,
    cancel_at_period_end BOOLEAN NOT NULL DEFAULT false,
    paid_through         TIMESTAMPTZ,
    state_at             TIMESTAMPTZ NOT NULL,
    created              TIMESTAMPTZ NOT NULL,
    updated              TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_billing_subscriptions_customer ON billing_subscriptions (customer_id);

-- Each Stripe event id takes effect once: its row is inserted in the transaction that applies it.
CREATE TABLE billing_events (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    created     TIMESTAMPTZ NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_billing_events_received ON billing_events (received_at);

-- A subscription's grants: at most one in force per subscription (a price change ends it and
-- starts the next one).
ALTER TABLE access_grants ADD COLUMN subscription_id TEXT;
CREATE UNIQUE INDEX idx_access_grants_subscription_current ON access_grants (subscription_id)
    WHERE subscription_id IS NOT NULL AND revoked_at IS NULL AND is_active;

INSERT INTO app_settings (key, value, description) VALUES
('billing_grace_days', '3', 'Days a paid subscription''s grant runs past the end of its paid period');

-- Events show a grant as the API does, its subscription included.
CREATE OR REPLACE FUNCTION grant_json(g access_grants) RETURNS JSONB LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('id', g.id, 'profileId', g.profile_id, 'tierId', g.tier_id, 'grantedBy', g.granted_by,
        'couponId', g.coupon_id, 'wellpass', g.wellpass, 'subscriptionId', g.subscription_id,
        'validFrom', api_instant(g.valid_from),
        'validUntil', api_instant(g.valid_until), 'isActive', g.is_active, 'pausedBy', g.paused_by,
        'pausedAt', api_instant(g.paused_at), 'remainingDays', g.remaining_days,
        'remainingSeconds', g.remaining_seconds, 'revokedAt', api_instant(g.revoked_at),
        'created', api_instant(g.created))
$$;
