-- Schedule integrity (issue 14, item 2): an event's team member must run
-- its service, unless the location's owner allows any team member for any
-- service (small studios where everyone covers everything).
ALTER TABLE locations ADD COLUMN any_member_any_service boolean NOT NULL DEFAULT false;
