-- usage_reset_zone is applied by PostgreSQL (AT TIME ZONE) in every check, consume and reset of a
-- daily or monthly feature. The service checks a new value against the JVM's zone list, but the two
-- zone databases can differ: a zone PostgreSQL does not know would make all of those fail. So the
-- database refuses it where it is written (22023, "time zone ... not recognized"), whoever writes it.
CREATE FUNCTION check_reset_zone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM now() AT TIME ZONE NEW.value;
    RETURN NEW;
END
$$;

CREATE TRIGGER app_settings_reset_zone BEFORE INSERT OR UPDATE OF value ON app_settings
    FOR EACH ROW WHEN (NEW.key = 'usage_reset_zone') EXECUTE FUNCTION check_reset_zone();
