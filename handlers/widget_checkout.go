package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/payments"
	"groupbook/widget"
)

// defaultCheckoutTimeout bounds the call that opens a Checkout Session: a
// client waits for it, and Stripe normally answers within a second.
const defaultCheckoutTimeout = 8 * time.Second

// checkoutError is a payment provider's failure to open a session; the
// hold is released by then.
type checkoutError struct{ err error }

func (e *checkoutError) Error() string { return "checkout: " + e.err.Error() }
func (e *checkoutError) Unwrap() error { return e.err }

// startCheckout opens a new payment of the held group token opens and its
// Checkout Session. An open session of the group is superseded (the core
// expires it), so paying in an older tab pays twice only to be refunded.
// When the provider fails, the payment is marked failed and the hold
// released (CheckoutFailed) before a *checkoutError is returned.
func (h *widgetHandlers) startCheckout(ctx context.Context, v *widgetView, token string) (*payments.Session, error) {
	co, err := h.flow.Store.NewCheckout(ctx, token)
	if err != nil {
		return nil, fmt.Errorf("new checkout: %w", err)
	}
	req := h.checkoutRequest(v, co, token)
	cctx, cancel := context.WithTimeout(ctx, h.checkoutTimeout)
	s, err := h.payments.CreateCheckout(cctx, req)
	cancel()
	if err != nil {
		// The client's request may be out of time by now; the hold must
		// go back all the same.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if ferr := h.flow.Store.CheckoutFailed(fctx, co.Payment.ID, err.Error()); ferr != nil {
			h.log.Error("checkout failed and its hold could not be released", "payment", co.Payment.ID, "err", ferr)
		}
		return nil, &checkoutError{err: err}
	}
	if err := h.flow.Store.CheckoutOpened(ctx, co.Payment.ID, s.ID, s.URL); err != nil {
		return nil, fmt.Errorf("checkout opened: %w", err)
	}
	return s, nil
}

// checkoutRequest is the Checkout Session for a payment: one line per
// date (seats × the price of a seat) or the pass, in the client's
// language; back to the manage page whether paid or not.
func (h *widgetHandlers) checkoutRequest(v *widgetView, co *booking.Checkout, token string) payments.CheckoutRequest {
	id := strconv.FormatInt(co.Payment.ID, 10)
	back := h.baseURL + "/m/" + token
	lang := url.Values{"lang": {v.Lang}}.Encode()
	req := payments.CheckoutRequest{
		IdempotencyKey:    co.Payment.IdempotencyKey,
		Currency:          co.Payment.Currency,
		SuccessURL:        back + "?paid=1&" + lang,
		CancelURL:         back + "?" + lang,
		ClientReferenceID: id,
		Metadata:          map[string]string{payments.MetadataPayment: id},
		Locale:            stripeLocale(v.Lang),
		CustomerEmail:     co.Client.Email,
	}
	req.ExpiresAt = co.ExpiresAt(h.flow.Now())
	zone := v.Cat.Zone
	if z, err := time.LoadLocation(co.TimeZone); err == nil && co.TimeZone != "" {
		zone = z
	}
	for _, l := range co.Lines {
		name := v.L.T("widget_online_line_pass", map[string]any{"Name": l.Service})
		if !l.Start.IsZero() {
			lt := l.Start.In(zone)
			name = v.L.T("widget_online_line", map[string]any{"Service": l.Service, "Date": v.L.DateShort(lt), "Time": v.L.Clock(lt)})
		}
		req.Lines = append(req.Lines, payments.Line{Name: name, UnitAmount: l.UnitMinor, Quantity: int64(l.Quantity)})
	}
	return req
}

// stripeLocale is Checkout's language for ours: Stripe has no Ukrainian,
// so it picks by the browser then.
func stripeLocale(lang string) string {
	switch lang {
	case "en", "hu", "pt", "ru":
		return lang
	}
	return "auto"
}

// checkoutFailed tells the client the payment service could not be
// reached: the hold is released, nothing booked, no money taken. The
// contact step comes back with a new request key, so trying again holds
// afresh rather than finding the released group.
func (h *widgetHandlers) checkoutFailed(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, err error) {
	var ce *checkoutError
	if !errors.As(err, &ce) {
		h.serverError(c, err)
		return
	}
	h.log.Warn("checkout session not opened: hold released", "err", err, "request_id", RequestID(c))
	sel.Key = ""
	v.alert("error", v.L.T("widget_online_failed"))
	c.Header("Retry-After", strconv.Itoa(retryAfterSeconds))
	h.showContact(c, v, http.StatusServiceUnavailable, sel, form)
}
