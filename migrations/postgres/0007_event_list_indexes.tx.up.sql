-- The widget's lists read upcoming live events of one location in start
-- order, filtered by service and/or team member. Each filter shape gets an
-- index whose leading columns are its equalities and whose tail is the
-- order (starts_at, id), so a page is a range read of exactly the rows it
-- shows: no sort, no scan of the other events, and keyset paging seeks
-- straight to (starts_at, id). Only live events are indexed; every reader
-- asks for deleted_at IS NULL.
--   list, no filter or a link-level choice:  (location_id, starts_at, id)
--   list filtered by service:                (location_id, service_id, starts_at, id)
--   list filtered by team member:            (location_id, team_member_id, starts_at, id)
--   list by both, and Book another:          (location_id, service_id, team_member_id, starts_at, id)
CREATE INDEX events_live_location_start_idx ON events (location_id, starts_at, id) WHERE deleted_at IS NULL;
CREATE INDEX events_live_service_start_idx ON events (location_id, service_id, starts_at, id) WHERE deleted_at IS NULL;
CREATE INDEX events_live_member_start_idx ON events (location_id, team_member_id, starts_at, id) WHERE deleted_at IS NULL;
CREATE INDEX events_live_service_member_start_idx ON events (location_id, service_id, team_member_id, starts_at, id) WHERE deleted_at IS NULL;
-- Made redundant: every query that used them (the schedule, move targets,
-- the widget) reads live events of one location, which the indexes above
-- cover with the location first. Left in place, the older service/member
-- index even lured SQLite away from the better one.
DROP INDEX events_location_start_idx;
DROP INDEX events_service_member_start_idx;
