-- A customer forgotten (its profile erased: billing_customers goes by cascade) takes the
-- subscriptions Stripe told of it along. A trigger, not a statement of the erasure: the trigger's
-- DELETE has a snapshot of its own, taken after the erasure waited for the profile's writers, so a
-- subscription that a Stripe event wrote while the erasure waited for that event goes too. (The
-- erasure's own statement sees only what was committed when it began.)
CREATE FUNCTION forget_customer_subscriptions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM billing_subscriptions WHERE customer_id = OLD.customer_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER billing_customers_forget AFTER DELETE ON billing_customers
    FOR EACH ROW EXECUTE FUNCTION forget_customer_subscriptions();
