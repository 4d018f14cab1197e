-- Every Stripe customer a profile has had, not only its newest (billing_customers, which checkout
-- reuses and the billing view shows): a second checkout under another customer (a Payment Link,
-- a checkout made outside this service) replaces the newest, but the subscriptions of the first
-- still belong to the profile, so that their renewals and cancellations still reach its grants
-- (docs/billing.md). A customer belongs to one profile for good.
CREATE TABLE billing_customer_links (
    customer_id TEXT PRIMARY KEY,
    profile_id  TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    created     TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_billing_customer_links_profile ON billing_customer_links (profile_id);

-- Whoever makes a customer the profile's newest (a checkout the service created, or one Stripe told
-- of) links it for good. The trigger comes before the copy below: creating it waits for the writers
-- of billing_customers (replicas of the release before, during a rolling deployment) and holds off
-- new ones until this migration commits, so no customer linked meanwhile is missed.
CREATE FUNCTION link_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO billing_customer_links (customer_id, profile_id, created)
    VALUES (NEW.customer_id, NEW.profile_id, NEW.created)
    ON CONFLICT (customer_id) DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER billing_customers_link AFTER INSERT OR UPDATE OF customer_id ON billing_customers
    FOR EACH ROW EXECUTE FUNCTION link_customer();

INSERT INTO billing_customer_links (customer_id, profile_id, created)
SELECT customer_id, profile_id, created FROM billing_customers
ON CONFLICT (customer_id) DO NOTHING;

-- Customers that a second checkout replaced before this release: their subscriptions' grants still
-- name the profile (one profile only, or the customer is left unlinked).
INSERT INTO billing_customer_links (customer_id, profile_id, created)
SELECT s.customer_id, min(g.profile_id), min(s.created)
FROM billing_subscriptions s JOIN access_grants g ON g.subscription_id = s.id
GROUP BY s.customer_id
HAVING count(DISTINCT g.profile_id) = 1
ON CONFLICT (customer_id) DO NOTHING;

-- An erased profile's links go by cascade, and each takes its customer's subscriptions along
-- (forget_customer_subscriptions, V20: with a snapshot taken after the erasure waited).
DROP TRIGGER billing_customers_forget ON billing_customers;
CREATE TRIGGER billing_customer_links_forget AFTER DELETE ON billing_customer_links
    FOR EACH ROW EXECUTE FUNCTION forget_customer_subscriptions();
