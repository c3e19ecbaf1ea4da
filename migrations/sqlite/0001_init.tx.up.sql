-- The whole first schema, kept column for column in step with the PostgreSQL
-- one. Times are written by bun as UTC text, so comparing them as text orders
-- them correctly; local days are computed in each location's zone in Go.

CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('owner', 'staff')),
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE locations (
    id           INTEGER PRIMARY KEY,
    name         text NOT NULL,
    address      text NOT NULL DEFAULT '',
    phone        text NOT NULL DEFAULT '',
    time_zone    text NOT NULL,
    country      text NOT NULL,
    default_lang text NOT NULL,
    created_at   TIMESTAMP NOT NULL
);

CREATE TABLE services (
    id               INTEGER PRIMARY KEY,
    location_id      bigint NOT NULL REFERENCES locations (id),
    name             text NOT NULL,
    category         text NOT NULL DEFAULT '',
    duration_min     integer NOT NULL CHECK (duration_min > 0),
    default_capacity integer NOT NULL CHECK (default_capacity > 0),
    price_minor      bigint NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
    currency         text NOT NULL,
    color            text NOT NULL DEFAULT '',
    online_booking   BOOLEAN NOT NULL DEFAULT 1,
    active           BOOLEAN NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX services_location_idx ON services (location_id);

CREATE TABLE team_members (
    id          INTEGER PRIMARY KEY,
    location_id bigint NOT NULL REFERENCES locations (id),
    name        text NOT NULL,
    title       text NOT NULL DEFAULT '',
    active      BOOLEAN NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX team_members_location_idx ON team_members (location_id);

CREATE TABLE team_member_services (
    team_member_id bigint NOT NULL REFERENCES team_members (id),
    service_id     bigint NOT NULL REFERENCES services (id),
    PRIMARY KEY (team_member_id, service_id)
);

CREATE TABLE series (
    id             INTEGER PRIMARY KEY,
    location_id    bigint NOT NULL REFERENCES locations (id),
    service_id     bigint NOT NULL REFERENCES services (id),
    team_member_id bigint NOT NULL REFERENCES team_members (id),
    weekdays       integer NOT NULL CHECK (weekdays > 0 AND weekdays < 128),
    start_minute   integer NOT NULL CHECK (start_minute >= 0 AND start_minute < 1440),
    from_date      text NOT NULL,
    until_date     text NOT NULL,
    duration_min   integer NOT NULL CHECK (duration_min > 0),
    capacity       integer NOT NULL CHECK (capacity > 0),
    created_at     TIMESTAMP NOT NULL
);

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    location_id    bigint NOT NULL REFERENCES locations (id),
    service_id     bigint NOT NULL REFERENCES services (id),
    team_member_id bigint NOT NULL REFERENCES team_members (id),
    series_id      bigint REFERENCES series (id),
    starts_at      TIMESTAMP NOT NULL,
    duration_min   integer NOT NULL CHECK (duration_min > 0),
    capacity       integer NOT NULL,
    seats_taken    integer NOT NULL DEFAULT 0,
    color          text NOT NULL DEFAULT '',
    category       text NOT NULL DEFAULT '',
    comment        text NOT NULL DEFAULT '',
    deleted_at     TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    -- The last line of defence against overselling: the booking code takes
    -- seats with a conditional update, and this makes any bug in it fail loudly.
    CONSTRAINT events_seats_check CHECK (capacity > 0 AND seats_taken >= 0 AND seats_taken <= capacity)
);
CREATE INDEX events_location_start_idx ON events (location_id, starts_at);
CREATE INDEX events_service_member_start_idx ON events (service_id, team_member_id, starts_at);
CREATE INDEX events_series_idx ON events (series_id);

CREATE TABLE clients (
    id          INTEGER PRIMARY KEY,
    location_id bigint NOT NULL REFERENCES locations (id),
    phone       text NOT NULL,
    first_name  text NOT NULL DEFAULT '',
    last_name   text NOT NULL DEFAULT '',
    email       text NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (location_id, phone)
);

CREATE TABLE widget_links (
    id                  INTEGER PRIMARY KEY,
    location_id         bigint NOT NULL REFERENCES locations (id),
    slug                text NOT NULL UNIQUE,
    name                text NOT NULL DEFAULT '',
    enabled             BOOLEAN NOT NULL DEFAULT 1,
    multi_event         BOOLEAN NOT NULL DEFAULT 0,
    max_events          integer NOT NULL DEFAULT 1 CHECK (max_events BETWEEN 1 AND 10),
    multi_seat          BOOLEAN NOT NULL DEFAULT 0,
    max_seats           integer NOT NULL DEFAULT 1 CHECK (max_seats >= 1),
    sms_confirm         BOOLEAN NOT NULL DEFAULT 0,
    email_mode          text NOT NULL DEFAULT 'optional',
    comment_mode        text NOT NULL DEFAULT 'optional',
    comment_label       text NOT NULL DEFAULT '',
    last_name_required  BOOLEAN NOT NULL DEFAULT 0,
    contact_message     text NOT NULL DEFAULT '',
    buffer_min          integer NOT NULL DEFAULT 0 CHECK (buffer_min >= 0),
    cancel_allowed      BOOLEAN NOT NULL DEFAULT 1,
    cancel_cutoff_min   integer NOT NULL DEFAULT 0 CHECK (cancel_cutoff_min BETWEEN 0 AND 2880),
    prepayment          BOOLEAN NOT NULL DEFAULT 0,
    default_lang        text NOT NULL DEFAULT '',
    accent_color        text NOT NULL DEFAULT '',
    allowed_origins     text NOT NULL DEFAULT '',
    created_at          TIMESTAMP NOT NULL
);

CREATE TABLE widget_link_services (
    link_id    bigint NOT NULL REFERENCES widget_links (id) ON DELETE CASCADE,
    service_id bigint NOT NULL REFERENCES services (id),
    PRIMARY KEY (link_id, service_id)
);

CREATE TABLE widget_link_team_members (
    link_id        bigint NOT NULL REFERENCES widget_links (id) ON DELETE CASCADE,
    team_member_id bigint NOT NULL REFERENCES team_members (id),
    PRIMARY KEY (link_id, team_member_id)
);

-- One row per submitted booking request. The unique request key makes a
-- repeated submit find the first result instead of booking again.
CREATE TABLE booking_groups (
    id           INTEGER PRIMARY KEY,
    location_id  bigint NOT NULL REFERENCES locations (id),
    client_id    bigint REFERENCES clients (id),
    request_key  text NOT NULL UNIQUE,
    fingerprint  text NOT NULL,
    token        text NOT NULL UNIQUE,
    link_id      bigint REFERENCES widget_links (id),
    lang         text NOT NULL DEFAULT '',
    utm_source   text NOT NULL DEFAULT '',
    utm_medium   text NOT NULL DEFAULT '',
    utm_campaign text NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);

CREATE TABLE bookings (
    id           INTEGER PRIMARY KEY,
    location_id  bigint NOT NULL REFERENCES locations (id),
    group_id     bigint REFERENCES booking_groups (id),
    event_id     bigint NOT NULL REFERENCES events (id),
    client_id    bigint NOT NULL REFERENCES clients (id),
    visitor_name text NOT NULL DEFAULT '',
    seats        integer NOT NULL CHECK (seats > 0),
    status       text NOT NULL CHECK (status IN ('expected', 'confirmed', 'arrived', 'no_show', 'cancelled')),
    comment      text NOT NULL DEFAULT '' CHECK (length(comment) <= 200),
    source       text NOT NULL CHECK (source IN ('widget', 'admin')),
    link_id      bigint REFERENCES widget_links (id),
    utm_source   text NOT NULL DEFAULT '',
    utm_medium   text NOT NULL DEFAULT '',
    utm_campaign text NOT NULL DEFAULT '',
    lang         text NOT NULL DEFAULT '',
    cancelled_by text NOT NULL DEFAULT '',
    sequence     integer NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP
);
CREATE INDEX bookings_event_idx ON bookings (event_id);
CREATE INDEX bookings_client_idx ON bookings (client_id);
CREATE INDEX bookings_group_idx ON bookings (group_id);
-- A client holds one active booking per event, except for the other visitors
-- staff register under the same phone (a child booked by a parent).
CREATE UNIQUE INDEX bookings_active_unique ON bookings (event_id, client_id, visitor_name) WHERE status <> 'cancelled';
