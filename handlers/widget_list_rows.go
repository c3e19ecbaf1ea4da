package handlers

import (
	"strconv"
)

// listDay and listRow are the list page ready to print: every name, time
// and count worked out in Go once, so the template runs no method or dict
// call per row (those reflective calls were most of the list's render).
type listDay struct {
	Heading string // empty when the previous page already showed this day
	Rows    []listRow
}

type listRow struct {
	Open                            bool // seats left, or a waitlist: the row links to the event
	Full                            bool
	URL, DateTime, Clock            string
	Service, Member, Minutes, Badge string
}

// listRows fills p.Rows from p.Listing for v's language and link.
func listRows(v *widgetView, p *widgetListPage) {
	p.Rows = make([]listDay, 0, len(p.Listing.Days))
	base := "/w/" + v.Link.Slug + "/e/"
	for _, d := range p.Listing.Days {
		day := listDay{Rows: make([]listRow, 0, len(d.Events))}
		if d.Date.Format("2006-01-02") != p.PrevDay {
			day.Heading = v.L.DateLong(d.Date)
		}
		for _, e := range d.Events {
			left := e.SeatsLeft()
			r := listRow{
				Open: left > 0, Full: left == 0,
				URL:      v.URL(base + strconv.FormatInt(e.ID, 10)),
				DateTime: e.StartsAt.Format("2006-01-02T15:04:05Z07:00"),
				Clock:    v.L.Clock(v.Cat.Local(e.StartsAt)),
				Service:  v.Cat.Service(e.ServiceID).Name,
				Member:   v.Cat.Member(e.TeamMemberID).Name,
				Minutes:  v.L.N("minutes_count", e.DurationMin),
			}
			switch {
			case left == 0 && v.Link.Waitlist:
				// A full event with a waitlist opens: its page has the
				// "Join the waitlist" form.
				r.Open, r.Badge = true, v.L.T("widget_wl_full_badge")
			case left == 0:
				r.Badge = v.L.T("widget_full")
			default:
				r.Badge = v.L.N("seats_left", left)
			}
			day.Rows = append(day.Rows, r)
		}
		p.Rows = append(p.Rows, day)
	}
}
