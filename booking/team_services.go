package booking

import (
	"context"
	"fmt"
)

// MemberServices returns, for every team member of a location, the ids of
// the services they run, in one query (the team list shows them all).
func (s *Store) MemberServices(ctx context.Context, locationID int64) (map[int64][]int64, error) {
	var rows []teamMemberService
	err := s.db.NewSelect().Model(&rows).
		Join("JOIN team_members AS tm ON tm.id = team_member_service.team_member_id").
		Where("tm.location_id = ?", locationID).
		Order("team_member_service.team_member_id", "team_member_service.service_id").
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("member services of location %d: %w", locationID, err)
	}
	out := make(map[int64][]int64)
	for _, r := range rows {
		out[r.TeamMemberID] = append(out[r.TeamMemberID], r.ServiceID)
	}
	return out, nil
}
