package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

// errRepeatUnconfirmed marks an "already booked" refusal answered to a
// phone nobody confirmed: its text says only that this phone cannot book
// the class online again, since anyone may type a stranger's number.
var errRepeatUnconfirmed = errors.New("this phone cannot book the event online again")

// alreadyItem is one of the client's existing bookings a repeated booking
// ran into, as the event page shows it.
type alreadyItem struct {
	When, Seats, ManageURL string
}

// repeatShown carries the client's existing bookings to the event page
// (widgetEventPage.Already), with the refusal's other problems (nil when
// none), which the page lists as alerts as usual.
type repeatShown struct {
	rest  *booking.ReserveError
	Items []alreadyItem
}

func (a *repeatShown) Error() string {
	return fmt.Sprintf("already booked: %d bookings", len(a.Items))
}

// Unwrap exposes the other problems to problemAlerts.
func (a *repeatShown) Unwrap() error {
	if a.rest == nil {
		return nil
	}
	return a.rest
}

// repeats answers the "already booked" problems of a refusal as far as the
// phone is proven. On a link that confirms phones by SMS code the booking
// reached the core only with the code (or its proof), so the client is
// shown the bookings they already hold, each with its manage link, and the
// rest of the refusal comes back as rest. Without confirmation nothing
// about another booking may show: the problems are marked
// errRepeatUnconfirmed, whose text discloses nothing. already is nil when
// there is nothing to show.
func (h *widgetHandlers) repeats(c *gin.Context, v *widgetView, phone string, re *booking.ReserveError) (rest *booking.ReserveError, already []alreadyItem, err error) {
	var dup []int64
	for _, p := range re.Problems {
		if errors.Is(p.Err, booking.ErrAlreadyBooked) {
			dup = append(dup, p.EventID)
		}
	}
	if len(dup) == 0 {
		return re, nil, nil
	}
	if !v.Link.SMSConfirm || phone == "" {
		out := &booking.ReserveError{}
		for _, p := range re.Problems {
			if errors.Is(p.Err, booking.ErrAlreadyBooked) {
				p.Err = fmt.Errorf("%w: %w", errRepeatUnconfirmed, p.Err)
			}
			out.Problems = append(out.Problems, p)
		}
		return out, nil, nil
	}
	existing, err := h.flow.Store.ClientExisting(c.Request.Context(), v.Link.LocationID, phone, dup)
	if err != nil {
		return nil, nil, err
	}
	if len(existing) == 0 {
		// Cancelled between the refusal and now: the plain reason stands.
		return re, nil, nil
	}
	for _, ex := range existing {
		lt := v.Cat.Local(ex.StartsAt)
		already = append(already, alreadyItem{
			When:      v.L.DateShort(lt) + " " + v.L.Clock(lt),
			Seats:     v.L.N("seats_count", ex.Booking.Seats),
			ManageURL: v.URL("/m/" + ex.Token),
		})
	}
	rest = &booking.ReserveError{}
	for _, p := range re.Problems {
		if !errors.Is(p.Err, booking.ErrAlreadyBooked) {
			rest.Problems = append(rest.Problems, p)
		}
	}
	return rest, already, nil
}

// waitBooked answers a confirmed phone joining the waitlist of a class it
// is booked into: the event page with that booking and its manage link,
// as a repeated booking gets (409).
func (h *widgetHandlers) waitBooked(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, err error) {
	phone, _ := h.flow.NormalizedContact(waitContactLink(v.Link), v.Cat, form)
	re := &booking.ReserveError{Problems: []booking.EventProblem{{EventID: sel.EventID, Err: err}}}
	rest, already, lookupErr := h.repeats(c, v, phone, re)
	if lookupErr != nil {
		h.serverError(c, lookupErr)
		return
	}
	if already == nil {
		h.waitRefused(c, v, sel.EventID, strconv.Itoa(sel.Seats), err)
		return
	}
	shown := &repeatShown{Items: already}
	if len(rest.Problems) > 0 {
		shown.rest = rest
	}
	h.showEvent(c, v, http.StatusConflict, widget.SelectionInput{EventID: sel.EventID}, shown)
}
