-- A price a tier stops naming is retired, not forgotten: the subscriptions still on it keep their
-- tier, and their renewals extend its grant (docs/billing.md). Only a tier's current prices are sold
-- at checkout, and only they take part in "one tier per price id": a price another tier names is
-- 409 price_id_taken while it is current there; once retired, the tier that names it takes it over
-- (with its remaining subscribers).
ALTER TABLE tier_prices ADD COLUMN retired BOOLEAN NOT NULL DEFAULT false;
DROP INDEX idx_tier_prices_tier_interval;
CREATE UNIQUE INDEX idx_tier_prices_tier_interval ON tier_prices (tier_id, interval) WHERE NOT retired;

CREATE OR REPLACE FUNCTION mirror_tier_prices() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tier_prices SET retired = true WHERE tier_id = NEW.id AND NOT retired;
    -- the prices it names now are current again (its own) or taken over (retired by another tier)
    DELETE FROM tier_prices
    WHERE retired AND price_id IN (NEW.stripe_price_id_monthly, NEW.stripe_price_id_yearly);
    -- a price current at another tier stays there: tier_prices_pkey (409 price_id_taken)
    INSERT INTO tier_prices (price_id, tier_id, interval)
    SELECT p.price_id, NEW.id, p.interval
    FROM (VALUES (NEW.stripe_price_id_monthly, 'month'), (NEW.stripe_price_id_yearly, 'year')) p (price_id, interval)
    WHERE p.price_id IS NOT NULL;
    RETURN NULL;
END
$$;

-- Prices a tier stopped naming before this release were forgotten; a subscription still paying one
-- has a grant of the tier it was sold for, which tells the price's tier (one tier and one interval
-- only; otherwise the price stays a price of no tier).
INSERT INTO tier_prices (price_id, tier_id, interval, retired)
SELECT s.price_id, min(g.tier_id), min(s.interval), true
FROM billing_subscriptions s JOIN access_grants g ON g.subscription_id = s.id
WHERE s.price_id IS NOT NULL AND s.interval IN ('month', 'year') AND g.revoked_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM tier_prices tp WHERE tp.price_id = s.price_id)
GROUP BY s.price_id
HAVING count(DISTINCT g.tier_id) = 1 AND count(DISTINCT s.interval) = 1;
