-- Admin sign-in: server-side sessions (revocable; the cookie holds a random
-- token, the table only its SHA-256) and failed sign-ins for throttling,
-- kept in the database so every server process sees the same counts.

CREATE TABLE sessions (
    id           text PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY,
    key text NOT NULL,
    at  TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key_at_idx ON login_failures (key, at);
