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

// The waitlist's join steps: the event page's "Join the waitlist" form
// leads to the contact step (waitForm), whose submit (waitJoin) confirms
// the phone by SMS code when the link asks, reusing the verify step, and
// puts the client in line; the client lands on their waitlist page.

// waitForm checks a "Join the waitlist" choice and shows the contact form
// carrying it signed. A choice that cannot join goes back to the event
// page with the reason at the waitlist's seats.
func (h *widgetHandlers) waitForm(c *gin.Context) {
	link, cat, ok := h.open(c)
	if !ok {
		return
	}
	v := h.newWidgetView(c, link, cat)
	eventID, _ := strconv.ParseInt(c.Query("event"), 10, 64)
	sel, err := h.flow.SelectWait(c.Request.Context(), link, cat, eventID, c.Query("seats"))
	if err != nil {
		h.waitRefused(c, v, eventID, c.Query("seats"), err)
		return
	}
	sel.Lang, sel.UTM = v.Lang, v.utm()
	h.showContact(c, v, http.StatusOK, sel, widget.ContactInput{})
}

// waitJoin takes the waitlist contact step's submit. With SMS
// confirmation the code comes first (the verify step calls joinConfirmed).
func (h *widgetHandlers) waitJoin(c *gin.Context) {
	link, cat, ok := h.open(c)
	if !ok {
		return
	}
	v := h.newWidgetView(c, link, cat)
	sel, err := h.flow.OpenSelection(link, c.PostForm("s"))
	if err != nil || !sel.Wait {
		if err == nil {
			err = widget.ErrBadToken
		}
		h.expired(c, v, err)
		return
	}
	form := widget.ContactInput{
		FirstName: c.PostForm("first_name"), LastName: c.PostForm("last_name"),
		Phone: c.PostForm("phone"), Email: c.PostForm("email"),
	}
	phone, err := h.flow.NormalizedContact(waitContactLink(link), cat, form)
	if err != nil {
		h.contactErrors(c, v, sel, form, err)
		return
	}
	if link.SMSConfirm && !h.flow.HasProof(link, v.carry.Get("pv"), phone) {
		h.startConfirmation(c, v, &widget.Pending{Selection: *sel, Contact: form, Phone: phone})
		return
	}
	h.joinConfirmed(c, v, sel, form, link.SMSConfirm)
}

// waitContactLink is the link's contact rules for joining: a waitlist
// place keeps no comment, so a link that requires one does not ask it
// here (the comment is asked when the seats are booked).
func waitContactLink(link *booking.Link) *booking.Link {
	l := *link
	l.CommentMode = booking.FieldHidden
	return &l
}

// joinConfirmed puts the client in line and sends them to their waitlist
// page (303). confirmed: the phone was confirmed by SMS code, so an
// existing place of this phone may be shown.
func (h *widgetHandlers) joinConfirmed(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, confirmed bool) {
	entry, err := h.flow.Join(c.Request.Context(), waitContactLink(v.Link), v.Cat, sel, form, c.ClientIP())
	var fe booking.FieldErrors
	var already *booking.AlreadyWaitingError
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, v.URL("/wl/"+entry.Token, "new", "1"))
	case errors.As(err, &fe):
		h.contactErrors(c, v, sel, form, fe)
	case errors.As(err, &already):
		h.alreadyWaiting(c, v, sel, form, already, confirmed)
	case confirmed && errors.Is(err, booking.ErrAlreadyBooked):
		h.waitBooked(c, v, sel, form, err)
	default:
		h.waitRefused(c, v, sel.EventID, strconv.Itoa(sel.Seats), err)
	}
}

// alreadyWaiting refuses a second place in line for the phone. Only a
// phone confirmed by code may learn where its place is: without the
// confirmation anyone typing a stranger's number would open their page.
func (h *widgetHandlers) alreadyWaiting(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, already *booking.AlreadyWaitingError, confirmed bool) {
	if confirmed {
		v.alert("info", v.L.T("widget_wl_already_waiting"))
		h.showContactWith(c, v, http.StatusConflict, sel, form, v.URL("/wl/"+already.Entry.Token))
		return
	}
	v.Errors = map[string]string{"phone": v.L.T("widget_wl_already_waiting_unconfirmed")}
	v.alert("error", v.L.T("widget_wl_already_waiting_unconfirmed"))
	h.showContact(c, v, http.StatusConflict, sel, form)
}

// waitRefusal is a refused "Join the waitlist" shown on the event page:
// Msg at the waitlist's seats stepper (Field) or above the page. It does
// not unwrap, so the booking form's own seats error stays empty.
type waitRefusal struct {
	Msg   string
	Field bool
	Seats string
}

func (r *waitRefusal) Error() string { return "waitlist refused: " + r.Msg }

// waitRefused shows the event page again with why the client cannot join.
func (h *widgetHandlers) waitRefused(c *gin.Context, v *widgetView, eventID int64, seats string, err error) {
	in := widget.SelectionInput{EventID: eventID}
	var re *booking.ReserveError
	var fe booking.FieldErrors
	r := &waitRefusal{Seats: seats, Field: true}
	status := http.StatusConflict
	if errors.Is(err, booking.ErrAlreadyBooked) && !v.Link.SMSConfirm {
		// Nobody proved the phone: say nothing of its booking.
		err = fmt.Errorf("%w: %w", errRepeatUnconfirmed, err)
	}
	switch {
	case errors.As(err, &re):
		h.showEvent(c, v, http.StatusConflict, in, re)
		return
	case errors.As(err, &fe):
		r.Msg, status = v.L.T(booking.MsgSeatsOutOfRange), http.StatusUnprocessableEntity
		if id := fe["seats"]; id != "" {
			r.Msg = v.L.T(id)
		}
	case errors.Is(err, booking.ErrPartyTooLarge):
		r.Msg, status = v.L.T("widget_wl_party_too_large"), http.StatusUnprocessableEntity
	case errors.Is(err, booking.ErrWaitlistFull):
		r.Msg = v.L.T("widget_wl_full")
	case errors.Is(err, booking.ErrSeatsAvailable):
		// The seats are free after all: the page's booking form is the
		// way on, with the seats the client wanted.
		r.Msg, r.Field = v.L.T("widget_wl_seats_available"), false
		in.Seats = seats
	case errors.Is(err, booking.ErrWaitlistOff):
		r.Msg, r.Field = v.L.T("widget_wl_off"), false
	case errors.Is(err, booking.ErrNotFound), errors.Is(err, booking.ErrEventDeleted):
		h.notFound(c)
		return
	default:
		if !knownBookingError(err) {
			h.serverError(c, err)
			return
		}
		r.Msg, r.Field = bookingErrorText(v.L, err, v.Link.EffectiveMaxEvents()), false
	}
	h.showEvent(c, v, status, in, r)
}

// knownBookingError tells whether err has a client's message in
// bookingErrorIDs (a rule refused it, rather than something broke).
func knownBookingError(err error) bool {
	for _, m := range bookingErrorIDs {
		if errors.Is(err, m.err) {
			return true
		}
	}
	return false
}
