-- Client self-service (issue 13): rescheduling from the widget, class
-- changes told to clients, and the desk's choice to send no SMS.

-- Whether clients may move a booking themselves, and to which events:
-- 'off', 'same_member' (another date of the same service and team member)
-- or 'any_member' (any team member running the service). The cutoff is
-- the cancellation cutoff unless the link sets its own (minutes before the
-- start, in 15-minute steps, at most 48 h).
ALTER TABLE widget_links ADD COLUMN reschedule_mode text NOT NULL DEFAULT 'same_member' CHECK (reschedule_mode IN ('off', 'same_member', 'any_member'));
ALTER TABLE widget_links ADD COLUMN reschedule_own_cutoff boolean NOT NULL DEFAULT 0;
ALTER TABLE widget_links ADD COLUMN reschedule_cutoff_min integer NOT NULL DEFAULT 0 CHECK (reschedule_cutoff_min BETWEEN 0 AND 2880);
-- A studio that refused cancellations online did not agree to moves
-- either: its existing links start with rescheduling off.
UPDATE widget_links SET reschedule_mode = 'off' WHERE cancel_allowed = 0;

-- The add-client panel's "send the client an SMS" box, remembered per
-- staff user.
ALTER TABLE users ADD COLUMN desk_client_messages boolean NOT NULL DEFAULT 1;
