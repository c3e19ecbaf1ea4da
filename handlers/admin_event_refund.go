package handlers

import (
	"context"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// eventBookingRefund refunds part or all of what a row paid online: a
// pending ledger row and a job the worker sends to Stripe. The amount
// (empty: everything left) is checked by the core under lock, so two
// staff refunding at once never give back more than was paid.
func (h *adminHandlers) eventBookingRefund(c *gin.Context) {
	raw := c.PostForm("amount")
	h.changeBooking(c, bookingChange{done: "refund", field: "refund", value: raw, applyTo: func(ctx context.Context, t *bookingTarget) error {
		// Without Stripe no worker sends refunds: one queued now would sit
		// pending, so it is refused until online payment is on again.
		if !h.onlineOn() {
			return errRefundOff
		}
		amount, ok := parseRefundAmount(raw)
		if !ok {
			return errRefundAmount
		}
		_, err := h.store.RefundBooking(ctx, booking.StaffRefund{
			LocationID: t.v.Location.ID, BookingID: t.b.ID, AmountMinor: amount, StaffUserID: t.v.User.ID,
		})
		return err
	}})
}

// eventBookingRetryRefund sends a row's failed refund again. The core
// refuses (not found) a refund of another location; one of another
// booking is refused here.
func (h *adminHandlers) eventBookingRetryRefund(c *gin.Context) {
	h.changeBooking(c, bookingChange{done: "retried", field: "refund", applyTo: func(ctx context.Context, t *bookingTarget) error {
		id, err := strconv.ParseInt(c.Param("eid"), 10, 64)
		if err != nil || id <= 0 {
			return booking.ErrNotFound
		}
		if !h.onlineOn() {
			return errRefundOff
		}
		money, err := h.store.BookingsMoney(ctx, []int64{t.b.ID})
		if err != nil {
			return err
		}
		for _, f := range money[t.b.ID].FailedRefunds {
			if f.ID == id {
				return h.store.RetryRefund(ctx, t.v.Location.ID, id)
			}
		}
		return booking.ErrNotFound
	}})
}
