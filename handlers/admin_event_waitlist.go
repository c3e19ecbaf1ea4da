package handlers

import (
	"context"
	"fmt"
	"time"

	"groupbook/booking"
)

// eventWaitlist is the event window's waitlist section: the line in order,
// then the entries that left it, and the seats offers hold.
type eventWaitlist struct {
	Rows []waitRow
	// InLine counts the waiting and offered entries; Held the seats their
	// offers reserve in the event.
	InLine, Held int
}

// waitRow is one waitlist entry with the state of its actions.
type waitRow struct {
	booking.WaitlistRow
	Phone string
	State string // the state, in words
	// Until is when an offer runs out, in the studio's zone ("" without one).
	Until string
	URL   string // prefix of the entry's actions
	// First and Last disable "up" and "down" at the ends of the line.
	First, Last bool
	// NoRoom, when set, says why "move in" cannot work now: the party is
	// larger than the free seats (and holds no reserved offer). The button
	// is disabled; the core checks again on a post all the same.
	NoRoom string
	Err    string // a refused action's message, shown at the row
}

// InLine tells the template whether the row still has actions.
func (r waitRow) InLine() bool { return r.Entry.State.InLine() }

// eventMinimum is the banner of an event below its minimum attendees.
type eventMinimum struct {
	Text  string
	Level string // "warn" before the decision; "error" once staff were warned
}

// attachWaitlist reads the event's waitlist and its minimum-attendee
// standing into the window.
func (h *adminHandlers) attachWaitlist(ctx context.Context, v *adminView, p *eventPage) error {
	rows, err := h.store.EventWaitlist(ctx, p.W.Event.ID)
	if err != nil {
		return fmt.Errorf("waitlist of event %d: %w", p.W.Event.ID, err)
	}
	zone := v.Location.Zone()
	wl := &eventWaitlist{}
	for _, r := range rows {
		if r.Entry.State.InLine() {
			wl.InLine++
			if r.Entry.State == booking.WaitOffered && r.Entry.Reserved {
				wl.Held += r.Entry.Seats
			}
		}
	}
	seen := 0
	for _, r := range rows {
		w := waitRow{
			WaitlistRow: r,
			Phone:       booking.FormatPhone(r.Client.Phone),
			State:       v.L.T("admin_waitlist_state_" + string(r.Entry.State)),
			URL:         fmt.Sprintf("%s/waitlist/%d", p.URL, r.Entry.ID),
		}
		if r.Entry.State == booking.WaitOffered && r.Entry.OfferUntil != nil {
			at := r.Entry.OfferUntil.In(zone)
			w.Until = v.L.DateShort(at) + " " + v.L.Clock(at)
		}
		if r.Entry.State.InLine() {
			seen++
			w.First, w.Last = seen == 1, seen == wl.InLine
			held := r.Entry.State == booking.WaitOffered && r.Entry.Reserved
			if free := p.W.Event.SeatsLeft(); !held && r.Entry.Seats > free {
				w.NoRoom = v.L.N("admin_waitlist_error_full", r.Entry.Seats, map[string]any{"Free": max(free, 0)})
			}
		}
		wl.Rows = append(wl.Rows, w)
	}
	p.Waitlist = wl

	min, decideAt, state, err := h.store.MinAttendeesInfo(ctx, p.W.Event.ID)
	if err != nil {
		return fmt.Errorf("minimum attendees of event %d: %w", p.W.Event.ID, err)
	}
	p.Min = minimumBanner(v, p, min, decideAt.In(zone), state)
	if min > 0 {
		at := decideAt.In(zone)
		p.MinFact = v.L.T("admin_waitlist_min_fact", map[string]any{"Min": min, "Date": v.L.DateShort(at), "Time": v.L.Clock(at)})
	}
	return nil
}

// minimumBanner words an event's minimum-attendee standing, or nil when
// there is nothing to say: no minimum, enough booked, or decided to run.
// It counts the seats of the bookings that hold seats (a payment hold may
// still be paid), not the seats offers hold for the waitlist.
func minimumBanner(v *adminView, p *eventPage, min int, decideAt time.Time, state booking.MinState) *eventMinimum {
	if min <= 0 || state == booking.MinOK || state == booking.MinCancelled {
		return nil
	}
	booked := 0
	for _, b := range p.W.Active {
		booked += b.Seats
	}
	if booked >= min {
		return nil
	}
	args := map[string]any{"Booked": booked, "Min": min}
	if state == booking.MinWarned {
		return &eventMinimum{Level: "error", Text: v.L.T("admin_waitlist_min_warned", args)}
	}
	args["Date"], args["Time"] = v.L.DateShort(decideAt), v.L.Clock(decideAt)
	return &eventMinimum{Level: "warn", Text: v.L.T("admin_waitlist_min_below", args)}
}

// waitRowOf returns the row of an entry in this event's waitlist, or nil:
// an entry id of another event (or location) is not found here.
func (p *eventPage) waitRowOf(id int64) *waitRow {
	if p.Waitlist == nil {
		return nil
	}
	for i := range p.Waitlist.Rows {
		if p.Waitlist.Rows[i].Entry.ID == id {
			return &p.Waitlist.Rows[i]
		}
	}
	return nil
}
