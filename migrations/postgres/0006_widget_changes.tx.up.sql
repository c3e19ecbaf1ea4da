-- Widget pages are cached per process, keyed by a data version (see
-- booking/changes.go). Each process bumps its version after its own writes;
-- these triggers tell the other processes on the same database, through
-- NOTIFY, whenever a table a widget page shows changes. Statement-level:
-- one notification per statement, and PostgreSQL folds identical ones of
-- a transaction into one, delivered at commit (never for a rollback).
CREATE OR REPLACE FUNCTION groupbook_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- The table tells the listener what went stale (booking.notifiedBump).
    PERFORM pg_notify('groupbook_changes', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER locations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON locations
    FOR EACH STATEMENT EXECUTE FUNCTION groupbook_notify_change();
CREATE TRIGGER services_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
    FOR EACH STATEMENT EXECUTE FUNCTION groupbook_notify_change();
CREATE TRIGGER team_members_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON team_members
    FOR EACH STATEMENT EXECUTE FUNCTION groupbook_notify_change();
CREATE TRIGGER team_member_services_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON team_member_services
    FOR EACH STATEMENT EXECUTE FUNCTION groupbook_notify_change();
CREATE TRIGGER series_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON series
    FOR EACH STATEMENT EXECUTE FUNCTION groupbook_notify_change();
CREATE TRIGGER events_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION groupbook_notify_change();
CREATE TRIGGER widget_links_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON widget_links
    FOR EACH STATEMENT EXECUTE FUNCTION groupbook_notify_change();
CREATE TRIGGER widget_link_services_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON widget_link_services
    FOR EACH STATEMENT EXECUTE FUNCTION groupbook_notify_change();
CREATE TRIGGER widget_link_team_members_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON widget_link_team_members
    FOR EACH STATEMENT EXECUTE FUNCTION groupbook_notify_change();
CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION groupbook_notify_change();
