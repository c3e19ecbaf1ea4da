package booking

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// ScheduleQuery asks for a location's events over some consecutive local
// days, as the admin's day and week views show them.
type ScheduleQuery struct {
	LocationID   int64
	From         time.Time // the first day: only its year, month and day count
	Days         int       // 1 for a day, 7 for a week
	ServiceID    int64     // 0: every service
	TeamMemberID int64     // 0: every team member
}

// Schedule is a grid of live events: one row per team member, one cell per
// local day.
type Schedule struct {
	Zone *time.Location
	// Days holds the local midnight of each day, in Zone.
	Days []time.Time
	Rows []ScheduleRow
	// Services names and colours the events, archived services included.
	Services map[int64]Service
	// Events counts the events in the grid.
	Events int
}

// ScheduleRow is one team member's events; Cells[i] are those of Days[i],
// in start order.
type ScheduleRow struct {
	Member TeamMember
	Cells  [][]Event
}

// MaxScheduleDays bounds one schedule request.
const MaxScheduleDays = 31

// WeekStart returns the Monday on or before day, a local date: studios plan
// their weeks from Monday in every language the product speaks.
func WeekStart(day time.Time) time.Time {
	back := (int(day.Weekday()) + 6) % 7
	return time.Date(day.Year(), day.Month(), day.Day()-back, 0, 0, 0, 0, day.Location())
}

// Schedule loads the events of q's days. Days are the location's calendar
// days, so a day is 23 or 25 hours long across a clock change and an event
// at 00:30 local is on the day its clock shows, whatever the UTC date.
//
// Rows: only the chosen team member when the query names one; otherwise
// every active team member (who runs the chosen service, when the query
// names one) and any other member who has an event in the grid, so nothing
// scheduled is ever hidden by an archived member.
func (s *Store) Schedule(ctx context.Context, q ScheduleQuery) (*Schedule, error) {
	if q.Days < 1 || q.Days > MaxScheduleDays {
		return nil, fmt.Errorf("schedule of %d days: %w", q.Days, ErrInvalid)
	}
	loc, err := s.Location(ctx, q.LocationID)
	if err != nil {
		return nil, err
	}
	zone := loc.Zone()
	sch := &Schedule{Zone: zone, Services: map[int64]Service{}}
	for i := range q.Days {
		sch.Days = append(sch.Days, time.Date(q.From.Year(), q.From.Month(), q.From.Day()+i, 0, 0, 0, 0, zone))
	}
	last := sch.Days[q.Days-1]
	f := EventFilter{
		LocationID: q.LocationID,
		From:       sch.Days[0],
		To:         time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, zone),
	}
	if q.ServiceID != 0 {
		f.ServiceIDs = []int64{q.ServiceID}
	}
	if q.TeamMemberID != 0 {
		f.TeamMemberIDs = []int64{q.TeamMemberID}
	}
	events, err := s.Events(ctx, f)
	if err != nil {
		return nil, err
	}
	services, err := s.Services(ctx, q.LocationID, true)
	if err != nil {
		return nil, err
	}
	for _, svc := range services {
		sch.Services[svc.ID] = svc
	}
	members, err := s.scheduleMembers(ctx, q, events)
	if err != nil {
		return nil, err
	}
	row := map[int64]int{}
	for i, m := range members {
		row[m.ID] = i
		sch.Rows = append(sch.Rows, ScheduleRow{Member: m, Cells: make([][]Event, q.Days)})
	}
	first := civilDay(sch.Days[0])
	for _, ev := range events {
		r, ok := row[ev.TeamMemberID]
		day := civilDay(ev.StartsAt.In(zone)) - first
		if !ok || day < 0 || day >= q.Days {
			continue
		}
		sch.Rows[r].Cells[day] = append(sch.Rows[r].Cells[day], ev)
		sch.Events++
	}
	return sch, nil
}

// scheduleMembers picks the rows of a schedule (see Schedule), by name.
func (s *Store) scheduleMembers(ctx context.Context, q ScheduleQuery, events []Event) ([]TeamMember, error) {
	all, err := s.TeamMembers(ctx, q.LocationID, true)
	if err != nil {
		return nil, err
	}
	busy := map[int64]bool{}
	for _, ev := range events {
		busy[ev.TeamMemberID] = true
	}
	var runs []int64
	if q.ServiceID != 0 {
		err := s.db.NewSelect().Model((*teamMemberService)(nil)).Column("team_member_id").
			Where("service_id = ?", q.ServiceID).Scan(ctx, &runs)
		if err != nil {
			return nil, fmt.Errorf("members of service %d: %w", q.ServiceID, err)
		}
	}
	var out []TeamMember
	for _, m := range all {
		var show bool
		switch {
		case q.TeamMemberID != 0:
			show = m.ID == q.TeamMemberID
		case q.ServiceID != 0:
			show = busy[m.ID] || (m.Active && slices.Contains(runs, m.ID))
		default:
			show = busy[m.ID] || m.Active
		}
		if show {
			out = append(out, m)
		}
	}
	return out, nil
}
