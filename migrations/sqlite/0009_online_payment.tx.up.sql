-- Online payment with Stripe (issue 11).
--
-- A widget link may require payment before a booking is final. Continue
-- then takes the seats as a hold: the group is 'pending_payment' until
-- Stripe's webhook confirms the payment, or 'expired' when the hold ran out
-- and the seats went back. online_payments has one row per Checkout Session
-- opened for a group; payment_entries is the money ledger (a charge or a
-- refund is a row added, never an amount edited); jobs is the timed and
-- retried work (hold expiry, expiring a session at Stripe, refunds), leased
-- like the outbox so several processes share it; stripe_events makes the
-- webhook idempotent per Stripe event id.

ALTER TABLE locations ADD COLUMN payment_hold_min integer NOT NULL DEFAULT 15 CHECK (payment_hold_min BETWEEN 5 AND 60);
ALTER TABLE locations ADD COLUMN refund_on_client_cancel BOOLEAN NOT NULL DEFAULT 1;

-- How a link's clients pay: at the studio (a pass may pay), a pass required
-- (was prepayment), online before booking, or a pass or online.
ALTER TABLE widget_links ADD COLUMN payment_mode text NOT NULL DEFAULT 'desk' CHECK (payment_mode IN ('desk', 'pass', 'online', 'pass_or_online'));
UPDATE widget_links SET payment_mode = 'pass' WHERE prepayment = 1;

ALTER TABLE booking_groups ADD COLUMN state text NOT NULL DEFAULT 'booked' CHECK (state IN ('booked', 'pending_payment', 'expired'));
ALTER TABLE booking_groups ADD COLUMN hold_until TIMESTAMP;
-- The pass type a held group buys online and then books with.
ALTER TABLE booking_groups ADD COLUMN buy_pass_type_id bigint REFERENCES pass_types (id);
CREATE INDEX booking_groups_hold_idx ON booking_groups (state, hold_until);

CREATE TABLE online_payments (
    id                INTEGER PRIMARY KEY,
    location_id       bigint NOT NULL REFERENCES locations (id),
    group_id          bigint NOT NULL REFERENCES booking_groups (id),
    client_id         bigint NOT NULL REFERENCES clients (id),
    purpose           text NOT NULL CHECK (purpose IN ('booking', 'pass')),
    pass_type_id      bigint REFERENCES pass_types (id),
    -- The pass the payment bought, once the webhook created it.
    pass_id           bigint REFERENCES client_passes (id),
    idempotency_key   text NOT NULL UNIQUE,
    session_id        text UNIQUE,
    session_url       text NOT NULL DEFAULT '',
    amount_minor      bigint NOT NULL CHECK (amount_minor >= 0),
    currency          text NOT NULL,
    status            text NOT NULL CHECK (status IN ('creating', 'open', 'paid', 'expired', 'failed', 'mismatch', 'late')),
    payment_intent    text NOT NULL DEFAULT '',
    paid_amount_minor bigint NOT NULL DEFAULT 0,
    paid_currency     text NOT NULL DEFAULT '',
    last_error        text NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    paid_at           TIMESTAMP
);
CREATE INDEX online_payments_group_idx ON online_payments (group_id);
CREATE INDEX online_payments_location_idx ON online_payments (location_id, created_at);

CREATE TABLE payment_entries (
    id                INTEGER PRIMARY KEY,
    location_id       bigint NOT NULL REFERENCES locations (id),
    online_payment_id bigint NOT NULL REFERENCES online_payments (id),
    booking_id        bigint REFERENCES bookings (id),
    kind              text NOT NULL CHECK (kind IN ('charge', 'refund')),
    amount_minor      bigint NOT NULL CHECK (amount_minor > 0),
    currency          text NOT NULL,
    -- The PaymentIntent of a charge, the Refund of a refund (re_...).
    stripe_id         text NOT NULL DEFAULT '',
    status            text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    reason            text NOT NULL DEFAULT '',
    staff_user_id     bigint REFERENCES users (id),
    last_error        text NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX payment_entries_payment_idx ON payment_entries (online_payment_id);
CREATE INDEX payment_entries_booking_idx ON payment_entries (booking_id);
CREATE INDEX payment_entries_location_idx ON payment_entries (location_id, created_at);

CREATE TABLE stripe_events (
    id          text PRIMARY KEY,
    type        text NOT NULL,
    received_at TIMESTAMP NOT NULL
);

CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY,
    kind          text NOT NULL,
    location_id   bigint REFERENCES locations (id),
    ref_id        bigint NOT NULL DEFAULT 0,
    -- One job per unique key: enqueueing the same work twice adds nothing.
    unique_key    text NOT NULL UNIQUE,
    status        text NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
    attempts      integer NOT NULL DEFAULT 0,
    run_at        TIMESTAMP NOT NULL,
    lease_owner   text NOT NULL DEFAULT '',
    lease_until   TIMESTAMP,
    last_error    text NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    done_at       TIMESTAMP
);
CREATE INDEX jobs_due_idx ON jobs (status, run_at);

-- A booking awaiting its online payment holds its seats as 'online_pending';
-- a paid one is 'online' and links its payment. SQLite cannot alter a CHECK
-- constraint: migrations.widenSQLiteChecks (Go) widens bookings.payment and
-- pass_entries.method right after this file.
ALTER TABLE bookings ADD COLUMN online_payment_id bigint REFERENCES online_payments (id);
