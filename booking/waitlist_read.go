package booking

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// WaitlistByToken reads an entry for its client's page: the event with
// its service and team member, the client, the place in line, and the
// manage token of the booking a claim made. An entry still in line for an
// event that has started shows as closed: nothing can come of it.
func (s *Store) WaitlistByToken(ctx context.Context, token string) (*WaitlistView, error) {
	if token == "" {
		return nil, fmt.Errorf("waitlist token: %w", ErrNotFound)
	}
	v := new(WaitlistView)
	if err := s.db.NewSelect().Model(&v.Entry).Where("token = ?", token).Scan(ctx); err != nil {
		return nil, notFound(err, "waitlist token", "(hidden)")
	}
	e := &v.Entry
	if err := s.db.NewSelect().Model(&v.Event).Where("id = ?", e.EventID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("event %d: %w", e.EventID, err)
	}
	if err := s.db.NewSelect().Model(&v.Client).Where("id = ?", e.ClientID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("client %d: %w", e.ClientID, err)
	}
	if err := s.db.NewSelect().Model((*Service)(nil)).Column("name").Where("id = ?", v.Event.ServiceID).Scan(ctx, &v.Service); err != nil {
		return nil, fmt.Errorf("service %d: %w", v.Event.ServiceID, err)
	}
	if err := s.db.NewSelect().Model((*TeamMember)(nil)).Column("name").Where("id = ?", v.Event.TeamMemberID).Scan(ctx, &v.Member); err != nil {
		return nil, fmt.Errorf("team member %d: %w", v.Event.TeamMemberID, err)
	}
	if e.State.InLine() && !v.Event.StartsAt.After(s.now()) {
		e.State, e.Reserved = WaitClosed, false
	}
	if e.State.InLine() {
		n, err := s.db.NewSelect().Model((*WaitlistEntry)(nil)).
			Where("event_id = ? AND state IN (?) AND position <= ?", e.EventID, bun.List(inLineStates), e.Position).
			Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("place of entry %d: %w", e.ID, err)
		}
		v.Position = int(n)
	}
	if e.GroupID != 0 {
		if err := s.db.NewSelect().Model((*Group)(nil)).Column("token").Where("id = ?", e.GroupID).Scan(ctx, &v.GroupToken); err != nil {
			return nil, fmt.Errorf("group %d: %w", e.GroupID, err)
		}
	}
	return v, nil
}

// EventWaitlist lists an event's entries for staff: in line first (in
// order, numbered from 1), then the rest, most recently changed first.
func (s *Store) EventWaitlist(ctx context.Context, eventID int64) ([]WaitlistRow, error) {
	var entries []WaitlistEntry
	if err := s.db.NewSelect().Model(&entries).Where("event_id = ?", eventID).
		OrderExpr("CASE WHEN state IN (?) THEN 0 ELSE 1 END", bun.List(inLineStates)).
		OrderExpr("CASE WHEN state IN (?) THEN position ELSE 0 END", bun.List(inLineStates)).
		Order("updated_at DESC", "id DESC").
		Scan(ctx); err != nil {
		return nil, fmt.Errorf("waitlist of event %d: %w", eventID, err)
	}
	if len(entries) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(entries))
	for i := range entries {
		ids[i] = entries[i].ClientID
	}
	var clients []Client
	if err := s.db.NewSelect().Model(&clients).Where("id IN (?)", bun.List(uniqueIDs(ids))).Scan(ctx); err != nil {
		return nil, fmt.Errorf("waitlist clients: %w", err)
	}
	rows := make([]WaitlistRow, len(entries))
	place := 0
	for i := range entries {
		rows[i].Entry = entries[i]
		if entries[i].State.InLine() {
			place++
			rows[i].Position = place
		}
		if j := slices.IndexFunc(clients, func(c Client) bool { return c.ID == entries[i].ClientID }); j >= 0 {
			rows[i].Client = clients[j]
		}
	}
	return rows, nil
}

// WaitlistEntry reads one entry by id, for staff actions: the admin checks
// its LocationID against the signed-in location before acting on it.
func (s *Store) WaitlistEntry(ctx context.Context, id int64) (*WaitlistEntry, error) {
	e := new(WaitlistEntry)
	if err := s.db.NewSelect().Model(e).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "waitlist entry", id)
	}
	return e, nil
}
