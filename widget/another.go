package widget

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"groupbook/booking"
)

// AnotherShown is how many dates Book another shows before "View all dates".
const AnotherShown = 3

// maxCandidates bounds the Book another list; a weekly class has about a
// year of dates in it. It is also the cost bound of the block: one query
// reads at most this many rows, seeking the (location, service, team
// member, start) index (migration 0007), however many events there are.
//
// The weekday filter works on these same candidates in Go rather than in
// SQL. The weekday is the location's (DST included), which SQLite cannot
// compute, and a WHERE on it could use no index: asking for a weekday the
// class never meets on would read every future event of the class. The
// chips are built from the candidates too, so a chip never promises dates
// the filter cannot show.
const maxCandidates = 60

// AnotherItem is one date offered in Book another.
type AnotherItem struct {
	Event   booking.Event
	Checked bool
	Full    bool
}

// WeekdayChip is one weekday filter button.
type WeekdayChip struct {
	Day    time.Weekday
	Active bool
}

// Another is the Book another block: more dates of the same service with
// the same team member.
type Another struct {
	Items    []AnotherItem
	Weekdays []WeekdayChip
	Weekday  int  // the active weekday filter, -1 for none
	All      bool // "View all dates" was chosen
	More     bool // there are dates not shown; offer "View all dates"
	MaxExtra int  // how many may be ticked
	Checked  int
}

// EventPage is the chosen event with its Book another block.
type EventPage struct {
	Event booking.Event
	// Closed says why the event cannot be booked online now (nil: it can;
	// a full event is Event.SeatsLeft() == 0).
	Closed   error
	Another  *Another // nil when the link offers one event per booking
	Seats    int
	MaxSeats int // the stepper's bound: link max and seats left everywhere selected
}

// LoadEventPage builds the event page for a selection, keeping only ticked
// dates that really are candidates: anything else the browser sent is
// dropped here and refused again on Continue.
func (f *Flow) LoadEventPage(ctx context.Context, link *booking.Link, in SelectionInput) (*EventPage, error) {
	ev, err := f.Store.Event(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	if ev.LocationID != link.LocationID || ev.DeletedAt != nil {
		return nil, booking.ErrNotFound
	}
	p := &EventPage{Event: *ev}
	if err := f.Store.CheckBookable(ctx, link, ev); err != nil {
		if errors.Is(err, booking.ErrNotOnLink) || errors.Is(err, booking.ErrNotFound) {
			return nil, booking.ErrNotFound
		}
		p.Closed = err
	}
	bound := min(link.EffectiveMaxSeats(), ev.SeatsLeft())
	if link.EffectiveMaxEvents() > 1 && p.Closed == nil {
		cands, err := f.Store.BookableEvents(ctx, link, booking.BookableFilter{
			ServiceID: ev.ServiceID, TeamMemberID: ev.TeamMemberID, ExcludeIDs: []int64{ev.ID}, Limit: maxCandidates,
		})
		if err != nil {
			return nil, err
		}
		zone, err := f.zone(ctx, link)
		if err != nil {
			return nil, err
		}
		p.Another = buildAnother(cands, zone, in, link.EffectiveMaxEvents()-1)
		for _, it := range p.Another.Items {
			if it.Checked {
				bound = min(bound, it.Event.SeatsLeft())
			}
		}
	}
	p.MaxSeats = max(bound, 1)
	seats, ok := parseSeats(in.Seats)
	if !ok {
		seats = 1
	}
	p.Seats = min(max(seats, 1), p.MaxSeats)
	return p, nil
}

func (f *Flow) zone(ctx context.Context, link *booking.Link) (*time.Location, error) {
	loc, err := f.Store.Location(ctx, link.LocationID)
	if err != nil {
		return nil, err
	}
	return loc.Zone(), nil
}

// buildAnother applies the weekday filter and the three-then-all rule. Ticked
// dates stay visible whatever the filter, so they are never lost from the form.
func buildAnother(cands []booking.Event, zone *time.Location, in SelectionInput, maxExtra int) *Another {
	a := &Another{Weekday: -1, All: in.All, MaxExtra: maxExtra}
	if wd, err := strconv.Atoi(in.Weekday); err == nil && wd >= 0 && wd <= 6 {
		a.Weekday = wd
	}
	checked := map[int64]bool{}
	for _, id := range in.Also {
		if len(checked) < maxExtra {
			checked[id] = true
		}
	}
	present := map[time.Weekday]bool{}
	shown := 0
	for _, ev := range cands {
		wd := ev.StartsAt.In(zone).Weekday()
		present[wd] = true
		match := a.Weekday < 0 || int(wd) == a.Weekday
		visible := match && (a.All || a.Weekday >= 0 || shown < AnotherShown)
		if match && !visible {
			a.More = true
		}
		if !visible && !checked[ev.ID] {
			continue
		}
		if visible {
			shown++
		}
		item := AnotherItem{Event: ev, Checked: checked[ev.ID] && ev.SeatsLeft() > 0, Full: ev.SeatsLeft() == 0}
		if item.Checked {
			a.Checked++
		}
		a.Items = append(a.Items, item)
	}
	// Chips in week order starting Monday, as most of Europe reads a week.
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if present[d] {
			a.Weekdays = append(a.Weekdays, WeekdayChip{Day: d, Active: int(d) == a.Weekday})
		}
	}
	slices.SortStableFunc(a.Items, func(x, y AnotherItem) int { return x.Event.StartsAt.Compare(y.Event.StartsAt) })
	return a
}

// LimitReached tells whether no more dates may be ticked.
func (a *Another) LimitReached() bool { return a.Checked >= a.MaxExtra }
