package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// bookingTarget is the booking a row action changes, checked to be in the
// event of the URL, which is checked to be the admin's location's.
type bookingTarget struct {
	v *adminView
	p *eventPage
	b *booking.Booking
}

// loadBookingTarget answers 404 itself when the ids do not fit together.
func (h *adminHandlers) loadBookingTarget(c *gin.Context) (*bookingTarget, bool) {
	v := h.newAdminView(c)
	p, ok := h.loadEventPage(c, v)
	if !ok {
		return nil, false
	}
	bid, err := strconv.ParseInt(c.Param("bid"), 10, 64)
	if err != nil {
		h.eventNotFound(c, v)
		return nil, false
	}
	b, err := h.store.EventBooking(c.Request.Context(), v.Location.ID, p.W.Event.ID, bid)
	if errors.Is(err, booking.ErrNotFound) {
		h.eventNotFound(c, v)
		return nil, false
	}
	if err != nil {
		h.serverError(c, err)
		return nil, false
	}
	return &bookingTarget{v: v, p: p, b: b}, true
}

// bookingChange is one row action: which field it edits (where a refusal
// is shown), the value sent, and the core call.
type bookingChange struct {
	done, field, value string
	apply              func(ctx context.Context, id int64) error
	// applyTo, when set, is used instead of apply: for actions that need
	// more of the booking and its event than the id.
	applyTo func(ctx context.Context, t *bookingTarget) error
}

// changeBooking runs a row action and answers with the clients list for
// htmx, or a redirect back to the window for a plain form. A refusal
// re-renders the list (or the page) with the message at the row's field.
func (h *adminHandlers) changeBooking(c *gin.Context, ch bookingChange) {
	t, ok := h.loadBookingTarget(c)
	if !ok {
		return
	}
	var err error
	if ch.applyTo != nil {
		err = ch.applyTo(c.Request.Context(), t)
	} else {
		err = ch.apply(c.Request.Context(), t.b.ID)
	}
	if errors.Is(err, booking.ErrNotFound) {
		h.eventNotFound(c, t.v)
		return
	}
	if err == nil && !t.p.Fragment {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s?done=%s#booking-%d", t.p.URL, ch.done, t.b.ID))
		return
	}
	// Reload: the list must show the change, or what changed meanwhile.
	v := h.newAdminView(c)
	p, ok := h.loadEventPage(c, v)
	if !ok {
		return
	}
	if err == nil {
		v.alert("success", v.L.T(bookingDoneMsg(ch.done)))
		h.renderEventBlock(c, http.StatusOK, v, "admin_event_clients")
		return
	}
	status, msg := bookingChangeError(v, p, t.b, err, h.store.Clock())
	if status == http.StatusInternalServerError {
		h.serverError(c, err)
		return
	}
	// A payment refusal is always shown at the row's payment, whatever its
	// status: staff need to see which row it was about.
	if row := p.row(t.b.ID); row != nil && (status == http.StatusUnprocessableEntity || ch.field == "payment") {
		row.Errors, row.Open = map[string]string{ch.field: msg}, ch.field != "status"
		switch ch.field {
		case "seats":
			row.Seats = ch.value
		case "comment":
			row.Comment = ch.value
		}
		v.alert("error", v.L.T("admin_fix_errors"))
	} else {
		v.alert("error", msg)
	}
	h.renderEventBlock(c, status, v, "admin_event_clients")
}

// bookingChangeError translates a refused row action.
func bookingChangeError(v *adminView, p *eventPage, b *booking.Booking, err error, now time.Time) (int, string) {
	if status, msg, ok := paymentRefusal(v, err, now.In(v.Location.Zone())); ok {
		return status, msg
	}
	if status, msg, ok := refundRefusal(v, p, b, err); ok {
		return status, msg
	}
	var fe booking.FieldErrors
	switch {
	case errors.As(err, &fe):
		for _, id := range fe {
			return http.StatusUnprocessableEntity, v.L.T(id)
		}
	case errors.Is(err, booking.ErrFull):
		// The booking's own seats plus the free ones are what it can have.
		return http.StatusUnprocessableEntity, v.L.N("admin_event_error_seats_max", b.Seats+p.W.Event.SeatsLeft())
	case errors.Is(err, booking.ErrAlreadyCancelled):
		return http.StatusConflict, v.L.T("admin_event_error_cancelled")
	case errors.Is(err, booking.ErrConflict):
		return http.StatusConflict, v.L.T("admin_event_error_conflict")
	}
	return http.StatusInternalServerError, ""
}

// eventBookingStatus marks a booking expected, confirmed, arrived or no-show.
func (h *adminHandlers) eventBookingStatus(c *gin.Context) {
	st := c.PostForm("status")
	h.changeBooking(c, bookingChange{done: "status", field: "status", value: st, apply: func(ctx context.Context, id int64) error {
		_, err := h.store.SetStatus(ctx, id, booking.Status(st))
		return err
	}})
}

// eventBookingSeats changes how many seats a booking holds.
func (h *adminHandlers) eventBookingSeats(c *gin.Context) {
	raw := strings.TrimSpace(c.PostForm("seats"))
	h.changeBooking(c, bookingChange{done: "seats", field: "seats", value: raw, apply: func(ctx context.Context, id int64) error {
		n, err := strconv.Atoi(raw)
		if err != nil {
			return booking.FieldErrors{"seats": booking.MsgSeatsOutOfRange}
		}
		_, err = h.store.ChangeSeats(ctx, id, n)
		return err
	}})
}

// eventBookingComment sets a booking's comment (at most 200 characters).
func (h *adminHandlers) eventBookingComment(c *gin.Context) {
	text := c.PostForm("comment")
	h.changeBooking(c, bookingChange{done: "comment", field: "comment", value: text, apply: func(ctx context.Context, id int64) error {
		_, err := h.store.SetComment(ctx, id, text)
		return err
	}})
}

// eventBookingDelete cancels a booking, which frees its seats.
func (h *adminHandlers) eventBookingDelete(c *gin.Context) {
	h.changeBooking(c, bookingChange{done: "deleted", apply: func(ctx context.Context, id int64) error {
		_, err := h.store.CancelByAdmin(ctx, id)
		return err
	}})
}

// bookingDoneMsg is the message after a row action: the window's own, or
// a payment's.
func bookingDoneMsg(done string) string {
	switch done {
	case "paid", "paid_pass", "unpaid":
		return "admin_passes_done_" + done
	case "refund":
		return "admin_payments_done_refund"
	case "retried":
		return "admin_payments_done_retried_row"
	}
	return "admin_event_done_" + done
}
