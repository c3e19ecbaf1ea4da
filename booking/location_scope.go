package booking

import (
	"context"
	"fmt"
)

// LocationService loads a service only if it belongs to the location, so an
// id typed into a URL cannot reach another studio's service. A service
// elsewhere is ErrNotFound, exactly like one that does not exist.
func (s *Store) LocationService(ctx context.Context, locationID, id int64) (*Service, error) {
	svc, err := s.Service(ctx, id)
	if err != nil {
		return nil, err
	}
	if svc.LocationID != locationID {
		return nil, fmt.Errorf("service %d at location %d: %w", id, locationID, ErrNotFound)
	}
	return svc, nil
}

// LocationTeamMember is LocationService for team members.
func (s *Store) LocationTeamMember(ctx context.Context, locationID, id int64) (*TeamMember, error) {
	tm, err := s.TeamMember(ctx, id)
	if err != nil {
		return nil, err
	}
	if tm.LocationID != locationID {
		return nil, fmt.Errorf("team member %d at location %d: %w", id, locationID, ErrNotFound)
	}
	return tm, nil
}
