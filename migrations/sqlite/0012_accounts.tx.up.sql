-- Accounts (issue 14): an owner can take a user's access away without
-- deleting the user, whose name stays on the history they made.
ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT 1;
