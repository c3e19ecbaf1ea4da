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

// UsablePasses lists the passes the client with this phone holds at the
// link's location that may pay for the selection: not voided, frozen or
// expired, with visits left (or unlimited), covering the selection's
// service. A pass with fewer visits than the selection needs is listed
// too, so choosing it tells the client what is short; the core checks
// every rule again when booking.
//
// A pass is money: call this only for a phone confirmed by SMS code
// (HasProof), never for a phone merely typed into the form.
func (f *Flow) UsablePasses(ctx context.Context, link *booking.Link, cat *Catalog, phone string, sel *Selection) ([]booking.ClientPass, error) {
	if !link.SMSConfirm {
		return nil, nil
	}
	ev, err := f.Store.Event(ctx, sel.EventID)
	if err != nil {
		return nil, fmt.Errorf("usable passes: %w", err)
	}
	client, err := f.Store.ClientByPhone(ctx, link.LocationID, phone)
	if errors.Is(err, booking.ErrNotFound) {
		return nil, nil // a first booking: no client, no pass
	}
	if err != nil {
		return nil, fmt.Errorf("usable passes: %w", err)
	}
	all, err := f.Store.ClientPasses(ctx, link.LocationID, client.ID)
	if err != nil {
		return nil, err
	}
	today := f.Now().In(cat.Zone).Format(booking.DateLayout)
	var out []booking.ClientPass
	for _, p := range all {
		if p.Active(today) && p.Covers(ev.ServiceID) {
			p.Entries = nil // the page needs the balance, not the history
			out = append(out, p)
		}
	}
	return out, nil
}
