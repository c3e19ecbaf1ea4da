-- Waitlist with party size, minimum attendees, and e-mail beside SMS
-- (issue 12).
--
-- A waitlist entry is one client's place in line for one full event, for
-- a party of seats. When seats free up the core offers them in line order
-- to the first entry whose party fits: the offer reserves the seats (they
-- count in events.seats_taken, so nothing else may take them and the
-- no-oversell CHECK still holds) until offer_until, and a claim books them
-- through the normal rules. In a "first to claim" location offers reserve
-- nothing (reserved = false): everyone who fits is told, first claim wins.

ALTER TABLE locations ADD COLUMN waitlist_mode text NOT NULL DEFAULT 'in_order' CHECK (waitlist_mode IN ('in_order', 'first_claim'));
ALTER TABLE locations ADD COLUMN waitlist_claim_min integer NOT NULL DEFAULT 120 CHECK (waitlist_claim_min BETWEEN 15 AND 1440);
ALTER TABLE locations ADD COLUMN waitlist_max integer NOT NULL DEFAULT 20 CHECK (waitlist_max BETWEEN 1 AND 500);
-- An event below its minimum at its decision time is cancelled when this is
-- on; otherwise staff are warned.
ALTER TABLE locations ADD COLUMN min_auto_cancel BOOLEAN NOT NULL DEFAULT 0;
-- Which channel client messages go by: sms, email (SMS for a client who
-- gave no e-mail) or both.
ALTER TABLE locations ADD COLUMN message_channel text NOT NULL DEFAULT 'sms' CHECK (message_channel IN ('sms', 'email', 'both'));
-- Staff with an e-mail get one for each booking and cancellation made online.
ALTER TABLE locations ADD COLUMN staff_email_notify BOOLEAN NOT NULL DEFAULT 0;

ALTER TABLE widget_links ADD COLUMN waitlist BOOLEAN NOT NULL DEFAULT 0;

-- Minimum attendees: 0 is none. The decision falls min_decide_hours before
-- the start. An event may override the service's minimum (NULL: the
-- service's); min_state records the decision, once: '' (not yet), 'ok',
-- 'warned' (staff told), 'cancelled'.
ALTER TABLE services ADD COLUMN min_attendees integer NOT NULL DEFAULT 0 CHECK (min_attendees >= 0);
ALTER TABLE services ADD COLUMN min_decide_hours integer NOT NULL DEFAULT 3 CHECK (min_decide_hours BETWEEN 1 AND 168);
ALTER TABLE events ADD COLUMN min_attendees integer CHECK (min_attendees >= 0);
ALTER TABLE events ADD COLUMN min_state text NOT NULL DEFAULT '' CHECK (min_state IN ('', 'ok', 'warned', 'cancelled'));

CREATE TABLE waitlist_entries (
    id           INTEGER PRIMARY KEY,
    location_id  bigint NOT NULL REFERENCES locations (id),
    event_id     bigint NOT NULL REFERENCES events (id),
    client_id    bigint NOT NULL REFERENCES clients (id),
    link_id      bigint REFERENCES widget_links (id),
    seats        integer NOT NULL CHECK (seats > 0),
    lang         text NOT NULL DEFAULT '',
    -- Opens the client's waitlist page (place, leave, claim) without a login.
    token        text NOT NULL UNIQUE,
    -- Line order: lower first; staff reorder by swapping positions.
    position     bigint NOT NULL,
    state        text NOT NULL CHECK (state IN ('waiting', 'offered', 'booked', 'left', 'removed', 'expired', 'closed')),
    -- The offer holds seats in events.seats_taken (in-order mode).
    reserved     BOOLEAN NOT NULL DEFAULT 0,
    offered_at   TIMESTAMP,
    offer_until  TIMESTAMP,
    -- The booking group a claim (or staff moving the entry in) made.
    group_id     bigint REFERENCES booking_groups (id),
    utm_source   text NOT NULL DEFAULT '',
    utm_medium   text NOT NULL DEFAULT '',
    utm_campaign text NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
-- One place in line per client and event.
CREATE UNIQUE INDEX waitlist_active_unique ON waitlist_entries (event_id, client_id) WHERE state IN ('waiting', 'offered');
CREATE INDEX waitlist_event_idx ON waitlist_entries (event_id, state, position);
CREATE INDEX waitlist_client_idx ON waitlist_entries (client_id);

-- E-mail beside SMS: a message row goes by one channel; e-mail rows carry
-- the address and no phone.
ALTER TABLE outbox ADD COLUMN channel text NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'email'));
ALTER TABLE outbox ADD COLUMN email text NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN waitlist_id bigint REFERENCES waitlist_entries (id);
CREATE INDEX outbox_waitlist_idx ON outbox (waitlist_id);
