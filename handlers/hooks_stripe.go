package handlers

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/payments"
)

// addStripeHook adds Stripe's webhook. Without a webhook secret there is
// nothing to check a signature with, so the route does not exist rather
// than accept unsigned events.
func addStripeHook(r gin.IRoutes, d Deps) {
	if d.StripeWebhookSecret == "" {
		return
	}
	r.POST("/hooks/stripe", stripeWebhook(d))
}

// stripeWebhook takes Stripe's events about Checkout Sessions.
//
// Confirmation comes only from here, never from the return URL a client
// could open by hand: the Stripe-Signature (an HMAC of the timestamp and
// the exact body, keyed with the endpoint's secret) proves the event is
// Stripe's. A missing, forged or stale signature gets 400 and changes
// nothing; so does a signed body that is not an event.
//
// The core applies an event once per event id, in one transaction with
// its effects, so Stripe's redeliveries (it retries anything but a 2xx for
// days) and events out of order have one effect. A store error answers
// 500: the event is not recorded, and Stripe delivers it again, which is
// what makes a crash or kill between "paid" and "recorded" lose nothing.
//
// Events we do not act on get 200, or Stripe would keep redelivering
// them: other types, a completed session not yet paid (delayed methods
// such as bank debits: async_payment_succeeded follows), and sessions
// without our metadata (another integration on the same Stripe account,
// whose money is not ours to refund).
//
// Like Twilio's, the route needs no exemption from the cross-origin
// protection: server-to-server requests carry no Sec-Fetch-Site or Origin.
func stripeWebhook(d Deps) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		log := d.Log.With("request_id", RequestID(c))
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				c.AbortWithStatus(http.StatusRequestEntityTooLarge)
				return
			}
			c.AbortWithStatus(http.StatusBadRequest)
			return
		}
		ev, err := payments.ParseWebhook(body, c.GetHeader("Stripe-Signature"), d.StripeWebhookSecret, d.Store.Now())
		if err != nil {
			log.WarnContext(ctx, "stripe webhook: refused", "err", err, "signed", c.GetHeader("Stripe-Signature") != "")
			c.AbortWithStatus(http.StatusBadRequest)
			return
		}
		log = log.With("event_id", ev.ID, "type", ev.Type, "session_id", ev.SessionID, "payment_id", ev.PaymentID)
		switch {
		case ev.Type != payments.EventCheckoutCompleted && ev.Type != payments.EventCheckoutAsyncSucceeded && ev.Type != payments.EventCheckoutExpired:
			log.InfoContext(ctx, "stripe webhook: type not handled")
			c.Status(http.StatusOK)
			return
		case ev.PaymentID == 0:
			log.WarnContext(ctx, "stripe webhook: session without our metadata, ignored")
			c.Status(http.StatusOK)
			return
		case ev.Type == payments.EventCheckoutCompleted && ev.PaymentStatus != "paid":
			log.InfoContext(ctx, "stripe webhook: completed but not paid yet", "payment_status", ev.PaymentStatus)
			c.Status(http.StatusOK)
			return
		}
		out, err := d.Store.ApplyStripeEvent(ctx, *ev)
		if err != nil {
			log.ErrorContext(ctx, "stripe webhook: apply", "err", err)
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		// Money that came but did not book (refunded, or flagged for
		// staff) is worth a warning in the logs.
		logAt := log.InfoContext
		if out.Result == booking.StripeRefunding || out.Result == booking.StripeMismatch {
			logAt = log.WarnContext
		}
		logAt(ctx, "stripe webhook: applied", "result", out.Result, "group_id", out.GroupID,
			"amount_total", ev.AmountTotal, "currency", ev.Currency)
		c.Status(http.StatusOK)
	}
}
