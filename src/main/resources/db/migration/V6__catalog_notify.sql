-- Catalog and settings changes notify every replica (docs/catalog.md): each replica caches
-- the catalog and drops its copy on a notification. A trigger sends it, so that no writer (the
-- service, a migration, an operator's psql) can forget to; PostgreSQL delivers it when the
-- changing transaction commits, and not at all when it rolls back.
CREATE FUNCTION notify_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('catalog_changed', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER tiers_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tiers
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER features_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON features
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER tier_limits_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tier_limits
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER app_settings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON app_settings
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
