package widget

import (
	"context"
	"fmt"

	"groupbook/booking"
)

// Hold takes the selection's seats for an online payment: the core books
// them in a group pending payment until the location's hold ends (see
// booking.ReserveRequest.Hold). buyPassTypeID, when not 0, is a pass type
// the client buys online and books with; the core checks it may pay for
// the selection. The payment itself is opened afterwards (Store.NewCheckout
// and the payment provider), by the caller.
//
// The contact is checked and the phone normalised as Book does. Like Book,
// a repeated key returns the first result (Reservation.Replayed).
func (f *Flow) Hold(ctx context.Context, link *booking.Link, cat *Catalog, sel *Selection, in ContactInput, ip string, buyPassTypeID int64) (*booking.Reservation, error) {
	if sel.Wait {
		return nil, fmt.Errorf("hold with a waitlist selection: %w", ErrBadToken)
	}
	phone, err := f.NormalizedContact(link, cat, in)
	if err != nil {
		return nil, err
	}
	client := booking.ClientInput{Phone: phone, FirstName: in.FirstName, LastName: in.LastName, Email: in.Email}
	res, err := f.Store.Reserve(ctx, booking.ReserveRequest{
		LocationID: link.LocationID, Link: link, Key: sel.Key, EventIDs: sel.EventIDs(), Seats: sel.Seats,
		Client: client, Comment: in.Comment, Lang: sel.Lang, UTM: sel.UTM, ClientIP: ip,
		Hold: true, BuyPassTypeID: buyPassTypeID, OfferToken: sel.Offer,
	})
	if err != nil {
		return nil, fmt.Errorf("hold: %w", err)
	}
	return res, nil
}

// SelectionPrice is a selection's service and its price line: dates ×
// seats at the service's price (nil for a free service).
func (f *Flow) SelectionPrice(ctx context.Context, cat *Catalog, sel *Selection) (booking.Service, *Price, error) {
	var serviceID int64
	if len(sel.Events) > 0 {
		serviceID = sel.Events[0].ServiceID
	} else {
		ev, err := f.Store.Event(ctx, sel.EventID)
		if err != nil {
			return booking.Service{}, nil, fmt.Errorf("selection price: %w", err)
		}
		serviceID = ev.ServiceID
	}
	svc := cat.Service(serviceID)
	p, ok := PriceOf(svc, len(sel.EventIDs()), sel.Seats)
	if !ok {
		return svc, nil, nil
	}
	return svc, &p, nil
}

// OnlinePassTypes lists the pass types the client could buy online to pay
// for the selection: on sale online, covering its service, valid on every
// date, with enough visits, and cheaper than the selection itself (the
// core's rule). A selection of a free service has none.
func (f *Flow) OnlinePassTypes(ctx context.Context, link *booking.Link, cat *Catalog, sel *Selection) ([]booking.PassType, error) {
	svc, price, err := f.SelectionPrice(ctx, cat, sel)
	if err != nil || price == nil {
		return nil, err
	}
	types, err := f.Store.OnlinePassTypes(ctx, link.LocationID, svc.ID, sel.EventIDs(), sel.Seats)
	if err != nil {
		return nil, fmt.Errorf("online pass types: %w", err)
	}
	return types, nil
}
