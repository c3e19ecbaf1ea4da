package booking

import (
	"context"
	"fmt"

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
