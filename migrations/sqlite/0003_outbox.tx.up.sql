-- SMS: every message is written here in the same transaction as the change
-- that causes it, and a worker sends it (DESIGN.md 1.4). A lease lets
-- several server processes share the work without sending twice.

CREATE TABLE sms_settings (
    location_id    bigint PRIMARY KEY REFERENCES locations (id),
    enabled        BOOLEAN NOT NULL DEFAULT 0,
    reminder_hours integer NOT NULL DEFAULT 24 CHECK (reminder_hours BETWEEN 0 AND 168),
    sender         text NOT NULL DEFAULT ''
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    location_id     bigint NOT NULL REFERENCES locations (id),
    kind            text NOT NULL,
    phone           text NOT NULL,
    lang            text NOT NULL DEFAULT '',
    group_id        bigint REFERENCES booking_groups (id),
    booking_id      bigint REFERENCES bookings (id),
    payload         text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
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
CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at);
CREATE INDEX outbox_booking_idx ON outbox (booking_id);
CREATE INDEX outbox_group_idx ON outbox (group_id);
CREATE INDEX outbox_sid_idx ON outbox (provider_sid);

-- Events counted for rate limits (SMS code sends per phone and per address),
-- shared by every process.
CREATE TABLE rate_events (
    id  INTEGER PRIMARY KEY,
    key text NOT NULL,
    at  TIMESTAMP NOT NULL
);
CREATE INDEX rate_events_key_at_idx ON rate_events (key, at);
