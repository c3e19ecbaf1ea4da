package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// DateLayout is how series dates travel: a local calendar date.
const DateLayout = "2006-01-02"

// MaxSeriesDays bounds a series so one form cannot create years of events.
const MaxSeriesDays = 366

// Series is a recurring rule that was expanded into events.
type Series struct {
	bun.BaseModel `bun:"table:series"`

	ID           int64     `bun:"id,pk,autoincrement"`
	LocationID   int64     `bun:"location_id"`
	ServiceID    int64     `bun:"service_id"`
	TeamMemberID int64     `bun:"team_member_id"`
	Weekdays     Weekdays  `bun:"weekdays"`
	StartMinute  int       `bun:"start_minute"`
	FromDate     string    `bun:"from_date"`
	UntilDate    string    `bun:"until_date"`
	DurationMin  int       `bun:"duration_min"`
	Capacity     int       `bun:"capacity"`
	CreatedAt    time.Time `bun:"created_at"`
}

// Weekdays is a set of weekdays, bit i set for time.Weekday(i).
type Weekdays int

// WeekdaySet builds a set from days.
func WeekdaySet(days ...time.Weekday) Weekdays {
	var w Weekdays
	for _, d := range days {
		if d >= time.Sunday && d <= time.Saturday {
			w |= 1 << d
		}
	}
	return w
}

// Has tells whether d is in the set.
func (w Weekdays) Has(d time.Weekday) bool { return w&(1<<d) != 0 }

// SeriesInput is what an admin fills in for a recurring series.
type SeriesInput struct {
	ServiceID    int64
	TeamMemberID int64
	Weekdays     Weekdays
	StartTime    string // "18:00", local to the location
	From, Until  string // DateLayout, local dates, both included
	DurationMin  *int
	Capacity     *int
	// MinAttendees overrides the service's minimum on every event of the
	// series (nil: the service's), as EventInput.MinAttendees.
	MinAttendees *int
}

// ParseClock parses "HH:MM" into minutes after midnight.
func ParseClock(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// ExpandSeries returns the start of every occurrence, in UTC, of a series
// whose days and clock time are local to zone. Each day is built with
// time.Date in the zone, so 18:00 stays 18:00 across DST changes; a time
// inside a spring-forward gap moves forward by the gap, as clocks do.
func ExpandSeries(zone *time.Location, days Weekdays, startMinute int, from, until time.Time) []time.Time {
	var out []time.Time
	for d := from; !d.After(until); d = d.AddDate(0, 0, 1) {
		if !days.Has(d.Weekday()) {
			continue
		}
		t := time.Date(d.Year(), d.Month(), d.Day(), startMinute/60, startMinute%60, 0, 0, zone)
		out = append(out, t.UTC())
	}
	return out
}

// CreateSeries validates a series, stores it and creates its events in one
// transaction. It returns the series and the events created.
func (s *Store) CreateSeries(ctx context.Context, locationID int64, in SeriesInput) (*Series, []Event, error) {
	loc, err := s.Location(ctx, locationID)
	if err != nil {
		return nil, nil, err
	}
	c := newChecker()
	svc, _ := s.checkServiceMember(ctx, s.db, locationID, in.ServiceID, in.TeamMemberID, c)
	if err := s.checkMemberRuns(ctx, locationID, in.ServiceID, in.TeamMemberID, c); err != nil {
		return nil, nil, err
	}
	dur, capacity := applyDefaults(svc, in.DurationMin, in.Capacity, c)
	checkMinOverride(c, in.MinAttendees, capacity)
	if in.Weekdays <= 0 || in.Weekdays >= 128 {
		c.add("weekdays", MsgNoWeekdays)
	}
	minute, ok := ParseClock(in.StartTime)
	if !ok {
		c.add("start_time", MsgInvalidTime)
	}
	from, errFrom := time.Parse(DateLayout, in.From)
	until, errUntil := time.Parse(DateLayout, in.Until)
	if errFrom != nil {
		c.add("from", MsgInvalidDate)
	}
	if errUntil != nil {
		c.add("until", MsgInvalidDate)
	}
	if errFrom == nil && errUntil == nil {
		if until.Before(from) {
			c.add("until", MsgUntilBeforeFrom)
		} else if until.Sub(from) > MaxSeriesDays*24*time.Hour {
			c.add("until", MsgSeriesTooLong)
		}
	}
	if err := c.err(); err != nil {
		return nil, nil, err
	}

	sr := &Series{
		LocationID: locationID, ServiceID: in.ServiceID, TeamMemberID: in.TeamMemberID,
		Weekdays: in.Weekdays, StartMinute: minute, FromDate: in.From, UntilDate: in.Until,
		DurationMin: dur, Capacity: capacity, CreatedAt: s.now(),
	}
	starts := ExpandSeries(loc.Zone(), in.Weekdays, minute, from, until)
	events := make([]Event, 0, len(starts))
	for _, st := range starts {
		events = append(events, Event{
			LocationID: locationID, ServiceID: in.ServiceID, TeamMemberID: in.TeamMemberID,
			StartsAt: st, DurationMin: dur, Capacity: capacity,
			Color: svc.Color, Category: svc.Category, CreatedAt: sr.CreatedAt,
			MinAttendees: in.MinAttendees,
		})
	}
	err = s.inTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(sr).Exec(ctx); err != nil {
			return fmt.Errorf("create series: %w", err)
		}
		if len(events) == 0 {
			return nil
		}
		for i := range events {
			events[i].SeriesID = sr.ID
		}
		if _, err := tx.NewInsert().Model(&events).Exec(ctx); err != nil {
			return fmt.Errorf("create series events: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return sr, events, nil
}
