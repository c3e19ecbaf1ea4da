package widget

import (
	"context"
	"slices"
	"time"

	"groupbook/booking"
)

// ListQuery is what the client chose on the event list.
type ListQuery struct {
	ServiceID    int64
	TeamMemberID int64
	After        booking.EventKey // the last event of the previous page; zero for the first
}

// Day is one local day of the list.
type Day struct {
	Date   time.Time // local midnight
	Events []booking.Event
}

// Listing is one page of the event list.
type Listing struct {
	Days []Day
	More bool
	Next booking.EventKey // the last event shown, where "Show more" goes on
	// Filter choices, shown only when there is more than one.
	Services []booking.Service
	Members  []booking.TeamMember
}

// List returns one page of the link's upcoming bookable events, grouped by
// local day.
func (f *Flow) List(ctx context.Context, link *booking.Link, cat *Catalog, q ListQuery) (*Listing, error) {
	evs, err := f.Store.BookableEvents(ctx, link, booking.BookableFilter{
		ServiceID: q.ServiceID, TeamMemberID: q.TeamMemberID, Limit: f.PageSize + 1, After: q.After,
	})
	if err != nil {
		return nil, err
	}
	l := &Listing{}
	if len(evs) > f.PageSize {
		evs = evs[:f.PageSize]
		l.More, l.Next = true, evs[len(evs)-1].Key()
	}
	l.Days = GroupByDay(evs, cat.Zone)
	l.Services, l.Members = offered(link, cat)
	return l, nil
}

// GroupByDay groups events (in start order) by their local day.
func GroupByDay(evs []booking.Event, zone *time.Location) []Day {
	var days []Day
	for _, ev := range evs {
		lt := ev.StartsAt.In(zone)
		d := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, zone)
		if n := len(days); n == 0 || !days[n-1].Date.Equal(d) {
			days = append(days, Day{Date: d})
		}
		days[len(days)-1].Events = append(days[len(days)-1].Events, ev)
	}
	return days
}

// offered lists, for the filters, the services and team members the link
// shows that can meet: an active service open online with an active member
// who runs it. A link limited to some services must not offer a teacher
// who runs none of them (choosing one would only show "no classes"), nor a
// member-limited link a service none of its members runs.
func offered(link *booking.Link, cat *Catalog) ([]booking.Service, []booking.TeamMember) {
	shown := map[int64]bool{}
	for _, s := range cat.Services {
		if s.Active && s.OnlineBooking && (len(link.ServiceIDs) == 0 || slices.Contains(link.ServiceIDs, s.ID)) {
			shown[s.ID] = true
		}
	}
	var members []booking.TeamMember
	run := map[int64]bool{}
	for _, m := range cat.Members {
		if !m.Active || (len(link.TeamMemberIDs) > 0 && !slices.Contains(link.TeamMemberIDs, m.ID)) {
			continue
		}
		runsShown := false
		for _, id := range m.ServiceIDs {
			if shown[id] {
				run[id], runsShown = true, true
			}
		}
		if runsShown {
			members = append(members, m)
		}
	}
	var svcs []booking.Service
	for id := range run {
		svcs = append(svcs, cat.Services[id])
	}
	slices.SortFunc(svcs, func(a, b booking.Service) int { return compareName(a.Name, b.Name, a.ID, b.ID) })
	slices.SortFunc(members, func(a, b booking.TeamMember) int { return compareName(a.Name, b.Name, a.ID, b.ID) })
	return svcs, members
}

func compareName(a, b string, ida, idb int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case ida < idb:
		return -1
	case ida > idb:
		return 1
	}
	return 0
}
