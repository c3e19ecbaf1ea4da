package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// MsgMemberNotService is the team member field's message when the chosen
// member does not run the event's service (the locale key lives in
// admin_schedule.*.toml, the only form that shows it).
const MsgMemberNotService = "admin_schedule_error_member_service"

// MemberRunsService reports whether an event of the service may have the
// team member: the member runs the service (team_member_services), or the
// location allows any member for any service.
func (s *Store) MemberRunsService(ctx context.Context, locationID, serviceID, memberID int64) (bool, error) {
	return memberRunsService(ctx, s.db, locationID, serviceID, memberID)
}

func memberRunsService(ctx context.Context, db bun.IDB, locationID, serviceID, memberID int64) (bool, error) {
	n, err := db.NewSelect().Model((*Location)(nil)).
		Where("id = ?", locationID).
		Where("any_member_any_service OR EXISTS (SELECT 1 FROM team_member_services AS tms WHERE tms.team_member_id = ? AND tms.service_id = ?)", memberID, serviceID).
		Count(ctx)
	if err != nil {
		return false, fmt.Errorf("member %d runs service %d: %w", memberID, serviceID, err)
	}
	return n > 0, nil
}

// checkMemberRuns refuses, at the team member field, a member who does not
// run the service. It stays quiet when the service or member is already
// refused (that message says more). Callers editing an event only call it
// when the member changes: an event stored before the rule, or before its
// member stopped running the service, stays editable as it is.
func (s *Store) checkMemberRuns(ctx context.Context, locationID, serviceID, memberID int64, c *checker) error {
	if _, bad := c.fe["service_id"]; bad {
		return nil
	}
	if _, bad := c.fe["team_member_id"]; bad {
		return nil
	}
	ok, err := memberRunsService(ctx, s.db, locationID, serviceID, memberID)
	if err != nil {
		return err
	}
	if !ok {
		c.add("team_member_id", MsgMemberNotService)
	}
	return nil
}

// MaxListedClashes bounds the clashes MemberClashes returns: the form lists
// these and says how many more there are.
const MaxListedClashes = 10

// Clashes is what MemberClashes found: the first MaxListedClashes clashing
// events in time order, and how many clash in all.
type Clashes struct {
	Events []Event
	Total  int
}

// MemberClashes returns the live events of the location's team member whose
// time overlaps [start, end), leaving out excludeEventIDs (the events being
// edited). Events that only touch (one ends as the other starts) do not
// clash. An event's end is its start plus its duration; as no event lasts
// more than a day (applyDefaults), only events starting in the day before
// end can overlap, so the database narrows to those and the exact test is
// done here, alike on both databases.
func (s *Store) MemberClashes(ctx context.Context, locationID, memberID int64, start, end time.Time, excludeEventIDs []int64) (*Clashes, error) {
	var evs []Event
	q := s.db.NewSelect().Model(&evs).
		Where("location_id = ? AND team_member_id = ? AND deleted_at IS NULL", locationID, memberID).
		Where("starts_at < ? AND starts_at > ?", end.UTC(), start.UTC().Add(-24*time.Hour)).
		Order("starts_at", "id")
	if len(excludeEventIDs) > 0 {
		q = q.Where("id NOT IN (?)", bun.List(excludeEventIDs))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("clashes of member %d: %w", memberID, err)
	}
	out := &Clashes{}
	for _, ev := range evs {
		if !ev.StartsAt.Add(time.Duration(ev.DurationMin) * time.Minute).After(start) {
			continue
		}
		out.Total++
		if len(out.Events) < MaxListedClashes {
			out.Events = append(out.Events, ev)
		}
	}
	return out, nil
}

// PlannedClashes is MemberClashes for events of durMin minutes at each of
// starts (one event, or every date of a series): the clashes of all of them,
// each clashing event once, at most MaxListedClashes listed.
func (s *Store) PlannedClashes(ctx context.Context, locationID, memberID int64, starts []time.Time, durMin int, excludeEventIDs []int64) (*Clashes, error) {
	out := &Clashes{}
	seen := make(map[int64]bool)
	for _, st := range starts {
		c, err := s.MemberClashes(ctx, locationID, memberID, st, st.Add(time.Duration(durMin)*time.Minute), excludeEventIDs)
		if err != nil {
			return nil, err
		}
		for _, ev := range c.Events {
			if !seen[ev.ID] {
				seen[ev.ID] = true
				if len(out.Events) < MaxListedClashes {
					out.Events = append(out.Events, ev)
				}
			}
		}
		// Clashes past the ten MemberClashes names are only counted, so
		// they cannot be deduplicated; that needs one event clashing with
		// two dates past the first ten clashes, rare enough for a count.
		out.Total += c.Total - len(c.Events)
	}
	out.Total += len(seen)
	return out, nil
}
