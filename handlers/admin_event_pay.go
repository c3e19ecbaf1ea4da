package handlers

import (
	"context"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// eventBookingPaid marks a row paid at the desk with the method staff
// chose; the amount is the service's price for the booking's seats, what
// the client owes for it. "free" marks it owing nothing.
func (h *adminHandlers) eventBookingPaid(c *gin.Context) {
	method := c.PostForm("method")
	h.changeBooking(c, bookingChange{done: "paid", field: "payment", value: method, applyTo: func(ctx context.Context, t *bookingTarget) error {
		pay := booking.DeskPayment{
			LocationID: t.v.Location.ID, BookingID: t.b.ID, Method: method,
			AmountMinor: t.p.W.Service.PriceMinor * int64(t.b.Seats), StaffUserID: t.v.User.ID,
		}
		if method == clientPassFree {
			// The studio lets the client in for nothing: owed nothing.
			pay = booking.DeskPayment{LocationID: t.v.Location.ID, BookingID: t.b.ID, Free: true, StaffUserID: t.v.User.ID}
		}
		_, err := h.store.MarkPaidAtDesk(ctx, pay)
		return err
	}})
}

// eventBookingPayPass pays a row with one of the client's passes. The pass
// id comes from the form: the core refuses (not found) a pass that is not
// this booking's client's at this location.
func (h *adminHandlers) eventBookingPayPass(c *gin.Context) {
	raw := c.PostForm("pass_id")
	h.changeBooking(c, bookingChange{done: "paid_pass", field: "payment", value: raw, applyTo: func(ctx context.Context, t *bookingTarget) error {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return booking.ErrNotFound
		}
		_, _, err = h.store.PayWithPass(ctx, booking.PayWithPassInput{
			LocationID: t.v.Location.ID, BookingID: t.b.ID, PassID: id, StaffUserID: t.v.User.ID,
		})
		return err
	}})
}

// eventBookingUnpaid takes back a payment recorded by mistake; a pass that
// paid gets the booking's visits back (a return row in its ledger).
func (h *adminHandlers) eventBookingUnpaid(c *gin.Context) {
	h.changeBooking(c, bookingChange{done: "unpaid", field: "payment", applyTo: func(ctx context.Context, t *bookingTarget) error {
		_, err := h.store.ClearPayment(ctx, t.v.Location.ID, t.b.ID, t.v.User.ID)
		return err
	}})
}
