package booking

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// TeamMemberInput is what an admin edits on a team member.
type TeamMemberInput struct {
	Name       string
	Title      string
	ServiceIDs []int64
}

func (in *TeamMemberInput) validate() error {
	c := newChecker()
	c.text("name", in.Name, true, MaxNameLen)
	c.text("title", in.Title, false, MaxNameLen)
	return c.err()
}

// CreateTeamMember validates and stores a team member and the services they run.
func (s *Store) CreateTeamMember(ctx context.Context, locationID int64, in TeamMemberInput) (*TeamMember, error) {
	in.Name, in.Title = strings.TrimSpace(in.Name), strings.TrimSpace(in.Title)
	if err := in.validate(); err != nil {
		return nil, err
	}
	tm := &TeamMember{LocationID: locationID, Name: in.Name, Title: in.Title, Active: true, CreatedAt: s.now()}
	err := s.inTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(tm).Exec(ctx); err != nil {
			return fmt.Errorf("create team member: %w", err)
		}
		return s.setMemberServices(ctx, tx, tm, in.ServiceIDs)
	})
	if err != nil {
		return nil, err
	}
	return tm, nil
}

// UpdateTeamMember saves a team member and replaces the services they run.
func (s *Store) UpdateTeamMember(ctx context.Context, id int64, in TeamMemberInput) (*TeamMember, error) {
	in.Name, in.Title = strings.TrimSpace(in.Name), strings.TrimSpace(in.Title)
	if err := in.validate(); err != nil {
		return nil, err
	}
	tm, err := s.TeamMember(ctx, id)
	if err != nil {
		return nil, err
	}
	tm.Name, tm.Title = in.Name, in.Title
	err = s.inTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(tm).WherePK().Column("name", "title").Exec(ctx); err != nil {
			return fmt.Errorf("update team member %d: %w", id, err)
		}
		return s.setMemberServices(ctx, tx, tm, in.ServiceIDs)
	})
	if err != nil {
		return nil, err
	}
	return tm, nil
}

// setMemberServices replaces the member's services, refusing ids of services
// at another location.
func (s *Store) setMemberServices(ctx context.Context, tx bun.Tx, tm *TeamMember, ids []int64) error {
	ids = uniqueIDs(ids)
	if len(ids) > 0 {
		n, err := tx.NewSelect().Model((*Service)(nil)).
			Where("id IN (?)", bun.List(ids)).Where("location_id = ?", tm.LocationID).Count(ctx)
		if err != nil {
			return fmt.Errorf("check services: %w", err)
		}
		if n != int64(len(ids)) {
			return FieldErrors{"service_ids": MsgUnknownService}
		}
	}
	if _, err := tx.NewDelete().Model((*teamMemberService)(nil)).Where("team_member_id = ?", tm.ID).Exec(ctx); err != nil {
		return fmt.Errorf("clear member services: %w", err)
	}
	for _, id := range ids {
		if _, err := tx.NewInsert().Model(&teamMemberService{TeamMemberID: tm.ID, ServiceID: id}).Exec(ctx); err != nil {
			return fmt.Errorf("add member service: %w", err)
		}
	}
	tm.ServiceIDs = ids
	return nil
}

// SetTeamMemberActive archives or restores a team member.
func (s *Store) SetTeamMemberActive(ctx context.Context, id int64, active bool) error {
	defer s.writeTurn(ctx)()
	res, err := s.db.NewUpdate().Model((*TeamMember)(nil)).Set("active = ?", active).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("archive team member %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("team member %d: %w", id, ErrNotFound)
	}
	return nil
}

// TeamMember loads one team member with the services they run.
func (s *Store) TeamMember(ctx context.Context, id int64) (*TeamMember, error) {
	tm := new(TeamMember)
	if err := s.db.NewSelect().Model(tm).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "team member", id)
	}
	if err := s.db.NewSelect().Model((*teamMemberService)(nil)).Column("service_id").
		Where("team_member_id = ?", id).Order("service_id").Scan(ctx, &tm.ServiceIDs); err != nil {
		return nil, fmt.Errorf("member services: %w", err)
	}
	return tm, nil
}

// TeamMembers lists a location's team members, active ones only unless all.
func (s *Store) TeamMembers(ctx context.Context, locationID int64, all bool) ([]TeamMember, error) {
	var out []TeamMember
	q := s.db.NewSelect().Model(&out).Where("location_id = ?", locationID).Order("name", "id")
	if !all {
		q = q.Where("active")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list team members: %w", err)
	}
	return out, nil
}

func uniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
