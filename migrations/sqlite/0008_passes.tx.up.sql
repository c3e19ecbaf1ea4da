-- Passes and memberships (issue 10). A pass type is what a studio sells
-- ("10 Yoga classes in 90 days"); a client pass is one sold or granted to a
-- client; pass_entries is its ledger. A pass's balance is the SUM of its
-- entries' visits: every change (sale, grant, visit used or returned,
-- correction, extension, freeze, unfreeze, void) is a row added here, and
-- the few columns of client_passes that change (valid dates, frozen, voided)
-- only ever change together with the row that explains them.

CREATE TABLE pass_types (
    id             INTEGER PRIMARY KEY,
    location_id    bigint NOT NULL REFERENCES locations (id),
    name           text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('visits', 'unlimited')),
    visits         integer NOT NULL DEFAULT 0 CHECK (visits BETWEEN 0 AND 500),
    validity_days  integer NOT NULL CHECK (validity_days BETWEEN 1 AND 730),
    valid_from     text NOT NULL CHECK (valid_from IN ('sale', 'first_use')),
    price_minor    bigint NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
    currency       text NOT NULL,
    on_sale_online BOOLEAN NOT NULL DEFAULT 0,
    archived       BOOLEAN NOT NULL DEFAULT 0,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX pass_types_location_idx ON pass_types (location_id);

CREATE TABLE pass_type_services (
    pass_type_id bigint NOT NULL REFERENCES pass_types (id) ON DELETE CASCADE,
    service_id   bigint NOT NULL REFERENCES services (id),
    PRIMARY KEY (pass_type_id, service_id)
);

-- The type's name, kind and terms are copied at sale: editing a type later
-- changes what is sold from then on, never a pass a client already holds.
-- Dates are local dates (YYYY-MM-DD) in the location's zone, inclusive.
CREATE TABLE client_passes (
    id            INTEGER PRIMARY KEY,
    location_id   bigint NOT NULL REFERENCES locations (id),
    client_id     bigint NOT NULL REFERENCES clients (id),
    pass_type_id  bigint NOT NULL REFERENCES pass_types (id),
    name          text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('visits', 'unlimited')),
    visits        integer NOT NULL DEFAULT 0,
    validity_days integer NOT NULL CHECK (validity_days > 0),
    valid_from    text NOT NULL CHECK (valid_from IN ('sale', 'first_use')),
    -- NULL until the first visit when valid_from is 'first_use'.
    starts_on     text,
    valid_until   text,
    frozen_on     text,
    voided_at     TIMESTAMP,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX client_passes_client_idx ON client_passes (location_id, client_id);

-- The services a sold pass covers, copied from its type at sale.
CREATE TABLE client_pass_services (
    pass_id    bigint NOT NULL REFERENCES client_passes (id) ON DELETE CASCADE,
    service_id bigint NOT NULL REFERENCES services (id),
    PRIMARY KEY (pass_id, service_id)
);

CREATE TABLE pass_entries (
    id             INTEGER PRIMARY KEY,
    pass_id        bigint NOT NULL REFERENCES client_passes (id),
    location_id    bigint NOT NULL REFERENCES locations (id),
    kind           text NOT NULL CHECK (kind IN ('sale', 'grant', 'visit', 'return', 'correction', 'extension', 'freeze', 'unfreeze', 'void')),
    visits         integer NOT NULL DEFAULT 0,
    days           integer NOT NULL DEFAULT 0,
    amount_minor   bigint NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
    currency       text NOT NULL DEFAULT '',
    method         text NOT NULL DEFAULT '' CHECK (method IN ('', 'cash', 'card', 'other')),
    booking_id     bigint REFERENCES bookings (id),
    staff_user_id  bigint REFERENCES users (id),
    reason         text NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX pass_entries_pass_idx ON pass_entries (pass_id);
CREATE INDEX pass_entries_booking_idx ON pass_entries (booking_id);

-- How each booking is paid. 'pass' names the pass; 'desk' records the
-- method, amount and who took it.
ALTER TABLE bookings ADD COLUMN payment text NOT NULL DEFAULT 'unpaid' CHECK (payment IN ('unpaid', 'desk', 'pass', 'free'));
ALTER TABLE bookings ADD COLUMN pass_id bigint REFERENCES client_passes (id);
ALTER TABLE bookings ADD COLUMN paid_method text NOT NULL DEFAULT '' CHECK (paid_method IN ('', 'cash', 'card', 'other'));
ALTER TABLE bookings ADD COLUMN paid_amount_minor bigint NOT NULL DEFAULT 0 CHECK (paid_amount_minor >= 0);
ALTER TABLE bookings ADD COLUMN paid_currency text NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN paid_by_user_id bigint REFERENCES users (id);
ALTER TABLE bookings ADD COLUMN paid_at TIMESTAMP;
CREATE INDEX bookings_pass_idx ON bookings (pass_id);

-- Whether a late cancel (after the link's cutoff) or a no-show gives the
-- visits back to the pass that paid.
ALTER TABLE locations ADD COLUMN return_visits_late_cancel BOOLEAN NOT NULL DEFAULT 0;
