-- Each profile's effective state (docs/entitlements.md, "How a check is answered"): the effective
-- tier and where it comes from, as of state_from and until state_until, the next instant at which
-- time alone could change it (a grant's start or end, a Wellpass pause's end, a resumed grant's
-- end). A check whose now lies in [state_from, state_until) reads it by key; any other check,
-- and every check of a stale profile, computes the effective tier from the grants as before.
--
-- The statement that changes a profile's grants or base tier writes its state in the same
-- transaction (GrantSql.ANNOUNCE_TIERS). The triggers below mark the state stale for any other
-- change that could move it (an operator's psql included), and the expire-grants job computes
-- stale states again. state_version counts the changes: a state is written only over the version
-- it was computed from, so a write computed before a concurrent change never overwrites it.
ALTER TABLE profiles
    ADD COLUMN state_stale       BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN state_version     BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN state_tier        TEXT,
    ADD COLUMN state_source      TEXT,
    ADD COLUMN state_grant_id    TEXT,
    ADD COLUMN state_granted_by  TEXT,
    ADD COLUMN state_valid_until TIMESTAMPTZ,
    ADD COLUMN state_from        TIMESTAMPTZ,
    ADD COLUMN state_until       TIMESTAMPTZ;

-- Only state_stale is indexed (partially): writing a state leaves every indexed column alone, so
-- those updates stay HOT (heap-only), which the expiry of many grants at once relies on.
CREATE INDEX idx_profiles_state_stale ON profiles (id) WHERE state_stale;

CREATE FUNCTION profile_state_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE profiles SET state_stale = true, state_version = state_version + 1
    WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.profile_id ELSE NEW.profile_id END;
    RETURN NULL;
END
$$;

-- A grant created or deleted, or changed in what the effective tier reads from it. An expiry
-- (switched off at or after its end, nothing else changed) changes nothing: the state already
-- ends there, and a Wellpass grant's end stays its validUntil (GrantSql.WELLPASS_END).
CREATE TRIGGER grants_state_created AFTER INSERT OR DELETE ON access_grants
    FOR EACH ROW EXECUTE FUNCTION profile_state_stale();
CREATE TRIGGER grants_state_changed AFTER UPDATE ON access_grants
    FOR EACH ROW WHEN (
        (OLD.profile_id, OLD.tier_id, OLD.valid_from, OLD.valid_until, OLD.paused_by, OLD.paused_at,
         OLD.remaining_seconds, OLD.remaining_days, OLD.wellpass, OLD.revoked_at)
        IS DISTINCT FROM
        (NEW.profile_id, NEW.tier_id, NEW.valid_from, NEW.valid_until, NEW.paused_by, NEW.paused_at,
         NEW.remaining_seconds, NEW.remaining_days, NEW.wellpass, NEW.revoked_at)
        OR (OLD.is_active IS DISTINCT FROM NEW.is_active
            AND NOT (OLD.is_active AND NOT NEW.is_active AND NEW.valid_until <= NEW.updated)))
    EXECUTE FUNCTION profile_state_stale();

-- The base tier changed.
CREATE FUNCTION profile_base_tier_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.state_stale := true;
    NEW.state_version := OLD.state_version + 1;
    RETURN NEW;
END
$$;
CREATE TRIGGER profiles_state_base_tier BEFORE UPDATE OF tier ON profiles
    FOR EACH ROW WHEN (OLD.tier IS DISTINCT FROM NEW.tier) EXECUTE FUNCTION profile_base_tier_changed();

-- The tiers were ranked anew: which of a profile's tiers is the most generous may differ now for
-- every profile with a grant in force or paused (a profile on its base tier alone keeps it).
CREATE FUNCTION tiers_reranked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_tiers o JOIN new_tiers n ON n.id = o.id WHERE n.sort_order <> o.sort_order) THEN
        UPDATE profiles SET state_stale = true, state_version = state_version + 1
        WHERE NOT state_stale
          AND id IN (SELECT g.profile_id FROM access_grants g WHERE g.is_active OR g.paused_by IS NOT NULL);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER tiers_state_reranked AFTER UPDATE ON tiers
    REFERENCING OLD TABLE AS old_tiers NEW TABLE AS new_tiers
    FOR EACH STATEMENT EXECUTE FUNCTION tiers_reranked();
