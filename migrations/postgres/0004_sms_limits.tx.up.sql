-- SMS abuse limits (issue 8): messages over a limit are kept in the outbox
-- as 'suppressed' (with the reason in last_error) instead of being sent;
-- each location chooses the countries it takes phone numbers from; and an
-- install-wide circuit breaker pauses confirmation codes after a burst.

ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sent', 'failed', 'skipped', 'suppressed'));
-- The SMS page counts a location's suppressed messages by day and week.
CREATE INDEX outbox_location_status_idx ON outbox (location_id, status, created_at);

-- ISO 3166 codes, comma-separated; empty means the location's country.
ALTER TABLE sms_settings ADD COLUMN phone_countries text NOT NULL DEFAULT '';

-- Old rate events are pruned by time across all keys.
CREATE INDEX rate_events_at_idx ON rate_events (at);

-- One row per breaker ('codes': confirmation code sends). Every code send
-- locks it, so every process sees one state and one count.
CREATE TABLE sms_breaker (
    name           text PRIMARY KEY,
    paused_since   timestamptz,
    paused_until   timestamptz,
    sends          integer NOT NULL DEFAULT 0,
    window_seconds integer NOT NULL DEFAULT 0
);
INSERT INTO sms_breaker (name) VALUES ('codes');
