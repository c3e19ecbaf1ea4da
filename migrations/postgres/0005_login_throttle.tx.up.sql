-- Sign-in throttling counted before the password check (issue 8, item 3).
-- One row per throttle key holds its counter, so an attempt is counted and
-- admitted (or refused) by a single upsert; the old log of failures could
-- only be counted after the fact, and concurrent guesses all got through.

DROP TABLE login_failures;

-- key: "ip:<address>" (a hard limit per window) or "acct:<email>" /
-- "acct:<email>|<address>" (a growing delay per account). attempts counts
-- the window's attempts (address) or the failures in a row (account);
-- next_at is when the window ends (address) or the earliest next attempt
-- (account). A row whose next_at is a day old is pruned.
CREATE TABLE login_throttle (
    key          text PRIMARY KEY,
    attempts     integer NOT NULL,
    window_start timestamptz NOT NULL,
    next_at      timestamptz NOT NULL
);
CREATE INDEX login_throttle_next_at_idx ON login_throttle (next_at);

-- Addresses an account signed in from: attempts from one of them get the
-- account delay of their own, so guesses from elsewhere cannot keep the
-- owner out at their usual address.
CREATE TABLE login_known_addresses (
    account    text NOT NULL,
    addr       text NOT NULL,
    last_ok_at timestamptz NOT NULL,
    PRIMARY KEY (account, addr)
);
CREATE INDEX login_known_addresses_last_ok_idx ON login_known_addresses (last_ok_at);
