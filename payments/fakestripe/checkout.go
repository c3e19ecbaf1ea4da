package fakestripe

import (
	"context"
	"fmt"
	"strconv"

	"groupbook/booking"
	"groupbook/payments"
)

// OpenCheckout opens a Checkout Session for the held group the token opens,
// as the widget does: the core's NewCheckout, then p (the real stripe-go
// client pointed at this fake), then CheckoutOpened. Tests of what comes
// after the widget (the webhook, the job worker) start from here.
func OpenCheckout(ctx context.Context, st *booking.Store, p payments.Provider, token, baseURL string) (*booking.Checkout, *payments.Session, error) {
	co, err := st.NewCheckout(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	req := payments.CheckoutRequest{
		IdempotencyKey: co.Payment.IdempotencyKey, Currency: co.Payment.Currency,
		SuccessURL: baseURL + "/m/" + token + "?paid=1", CancelURL: baseURL + "/m/" + token,
		ExpiresAt: co.ExpiresAt(st.Now()),
		Metadata:  map[string]string{payments.MetadataPayment: strconv.FormatInt(co.Payment.ID, 10)},
	}
	for _, l := range co.Lines {
		req.Lines = append(req.Lines, payments.Line{Name: l.Service, UnitAmount: l.UnitMinor, Quantity: int64(l.Quantity)})
	}
	s, err := p.CreateCheckout(ctx, req)
	if err != nil {
		return nil, nil, fmt.Errorf("create checkout: %w", err)
	}
	if err := st.CheckoutOpened(ctx, co.Payment.ID, s.ID, s.URL); err != nil {
		return nil, nil, err
	}
	return co, s, nil
}

// HoldOne holds seats of client (booktest numbering is the caller's) in
// one event through link and opens their session with OpenCheckout.
func HoldOne(ctx context.Context, st *booking.Store, p payments.Provider, link *booking.Link, client booking.ClientInput, key string, eventID int64, seats int, baseURL string) (*booking.Reservation, *booking.Checkout, *payments.Session, error) {
	res, err := st.Reserve(ctx, booking.ReserveRequest{
		LocationID: link.LocationID, Link: link, Key: key, EventIDs: []int64{eventID},
		Seats: seats, Client: client, Lang: "en", Hold: true,
	})
	if err != nil {
		return nil, nil, nil, err
	}
	co, s, err := OpenCheckout(ctx, st, p, res.Group.Token, baseURL)
	if err != nil {
		return nil, nil, nil, err
	}
	return res, co, s, nil
}
