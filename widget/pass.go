package widget

import (
	"context"
	"errors"
	"fmt"

	"groupbook/booking"
)

// Paying errors of the widget, before the core is asked.
var (
	// ErrPassRequired refuses a booking without a pass on a link that
	// requires one ("pay before booking").
	ErrPassRequired = errors.New("this link takes bookings paid by a pass only")
	// ErrPassUnknown wraps the core's answer to a pass id that is not the
	// client's own at this location (from a tampered or stale form).
	ErrPassUnknown = errors.New("no such pass of this client")
)

// PassOptions lists the passes the client with this phone holds at the
// link's location that may pay for the selection's service, each with
// whether it can pay for every date × seats (Err nil) or why not (a
// shortfall, a date it is not valid on, frozen): the core's rules, which
// Reserve applies again under the pass's lock. Passes with nothing left
// are not listed: there is nothing to offer.
//
// A pass is money: call this only for a phone confirmed by SMS code
// (HasProof), never for a phone merely typed into the form; a link without
// SMS confirmation has none.
func (f *Flow) PassOptions(ctx context.Context, link *booking.Link, phone string, sel *Selection) ([]booking.PassOption, error) {
	if !link.SMSConfirm {
		return nil, nil
	}
	opts, err := f.Store.PassOptions(ctx, link.LocationID, phone, booking.PassSelection{EventIDs: sel.EventIDs(), Seats: sel.Seats})
	if err != nil {
		return nil, fmt.Errorf("pass options: %w", err)
	}
	out := opts[:0]
	for _, o := range opts {
		if o.Pass.Unlimited() || o.Pass.Balance > 0 {
			o.Pass.Entries = nil // the page needs the balance, not the history
			out = append(out, o)
		}
	}
	return out, nil
}
