package widget

import (
	"cmp"
	"slices"

	"groupbook/booking"
)

// byStart orders events as a calendar does: by start, then by id so two
// events at the same minute keep one order on every page.
func byStart(a, b booking.Event) int {
	return cmp.Or(a.StartsAt.Compare(b.StartsAt), cmp.Compare(a.ID, b.ID))
}

// SortByStart puts a selection's events in date order. The selection keeps
// the opened event first (it is the one the link was opened on, and the
// stepper's bound starts from it), but a client reads a list of dates as a
// calendar, so every page that lists them shows them in date order.
func SortByStart(evs []booking.Event) { slices.SortStableFunc(evs, byStart) }
