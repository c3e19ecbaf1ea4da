-- SMS abuse limits (issue 8): messages over a limit are kept in the outbox
-- as 'suppressed' (with the reason in last_error) instead of being sent;
-- each location chooses the countries it takes phone numbers from; and an
-- install-wide circuit breaker pauses confirmation codes after a burst.

-- SQLite cannot change a CHECK constraint: the outbox is rebuilt with the
-- new status allowed, rows and ids kept (nothing references the outbox).
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    location_id     bigint NOT NULL REFERENCES locations (id),
    kind            text NOT NULL,
    phone           text NOT NULL,
    lang            text NOT NULL DEFAULT '',
    group_id        bigint REFERENCES booking_groups (id),
    booking_id      bigint REFERENCES bookings (id),
    payload         text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped', 'suppressed')),
    attempts        integer NOT NULL DEFAULT 0,
    due_at          TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_owner     text NOT NULL DEFAULT '',
    lease_until     TIMESTAMP,
    provider_sid    text NOT NULL DEFAULT '',
    delivery_status text NOT NULL DEFAULT '',
    last_error      text NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP
);
INSERT INTO outbox_new (id, location_id, kind, phone, lang, group_id, booking_id, payload, status, attempts,
    due_at, next_attempt_at, lease_owner, lease_until, provider_sid, delivery_status, last_error,
    created_at, updated_at, sent_at)
SELECT id, location_id, kind, phone, lang, group_id, booking_id, payload, status, attempts,
    due_at, next_attempt_at, lease_owner, lease_until, provider_sid, delivery_status, last_error,
    created_at, updated_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at);
CREATE INDEX outbox_booking_idx ON outbox (booking_id);
CREATE INDEX outbox_group_idx ON outbox (group_id);
CREATE INDEX outbox_sid_idx ON outbox (provider_sid);
-- The SMS page counts a location's suppressed messages by day and week.
CREATE INDEX outbox_location_status_idx ON outbox (location_id, status, created_at);

-- ISO 3166 codes, comma-separated; empty means the location's country.
ALTER TABLE sms_settings ADD COLUMN phone_countries text NOT NULL DEFAULT '';

-- Old rate events are pruned by time across all keys.
CREATE INDEX rate_events_at_idx ON rate_events (at);

-- One row per breaker ('codes': confirmation code sends). SQLite runs one
-- writer at a time, so the row needs no lock there.
CREATE TABLE sms_breaker (
    name           text PRIMARY KEY,
    paused_since   TIMESTAMP,
    paused_until   TIMESTAMP,
    sends          integer NOT NULL DEFAULT 0,
    window_seconds integer NOT NULL DEFAULT 0
);
INSERT INTO sms_breaker (name) VALUES ('codes');
