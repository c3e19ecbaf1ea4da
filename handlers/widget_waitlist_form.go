package handlers

import (
	"errors"
	"strconv"

	"groupbook/widget"
)

// waitJoinForm is the event page's "Join the waitlist" form: a seats
// stepper from the smallest party that does not fit (one more than the
// seats left) to the largest the link and the event allow.
type waitJoinForm struct {
	Min, Max, Seats int
	// Error is why the last try was refused, at the stepper; Note above
	// the page's forms (seats became available, the waitlist is off...).
	Error string
	// Partial: some seats are left, the form is for a larger party.
	Partial bool
}

// waitForm builds the waitlist form of an event page, or nil when the link
// takes no waitlist, the event cannot be booked online at all, or every
// party the link allows still fits. raw is the seats asked for; a refused
// join (a *waitRefusal in problems) puts its message at the stepper, or
// above the page.
func waitForm(v *widgetView, page *widget.EventPage, raw string, problems error) *waitJoinForm {
	var r *waitRefusal
	refused := errors.As(problems, &r)
	if refused && !r.Field {
		v.alert("error", r.Msg)
	}
	ev := page.Event
	top := min(v.Link.EffectiveMaxSeats(), ev.Capacity)
	left := max(ev.SeatsLeft(), 0)
	if !v.Link.Waitlist || page.Closed != nil || left >= top {
		return nil
	}
	f := &waitJoinForm{Min: left + 1, Max: top, Partial: left > 0}
	f.Seats = f.Min
	if refused {
		raw = r.Seats
		if r.Field {
			f.Error = r.Msg
		}
	}
	if n, err := strconv.Atoi(raw); err == nil && n >= f.Min && n <= f.Max {
		f.Seats = n
	}
	return f
}
