package widget

import (
	"context"
	"errors"
	"fmt"

	"groupbook/booking"
)

// SelectWait checks a "Join the waitlist" choice as the event page's
// waitlist form sends it: the link takes a waitlist, the event is bookable
// through the link apart from its seats, and the party is 1..the link's
// maximum and more than the seats left (else it should be booked). The
// core checks all of it again when the client joins; checking here keeps
// a client from typing a contact form that can only be refused.
//
// Problems with the event come back as *booking.ReserveError (like
// Select), a bad seat count as booking.FieldErrors, and the waitlist's own
// refusals as booking.ErrWaitlistOff, booking.ErrPartyTooLarge and
// booking.ErrSeatsAvailable.
func (f *Flow) SelectWait(ctx context.Context, link *booking.Link, cat *Catalog, eventID int64, rawSeats string) (*Selection, error) {
	ev, err := f.Store.Event(ctx, eventID)
	if err != nil || ev.LocationID != link.LocationID || ev.DeletedAt != nil {
		return nil, &booking.ReserveError{Problems: []booking.EventProblem{{EventID: eventID, Err: booking.ErrNotFound}}}
	}
	if err := f.checkBookable(cat, link, ev); err != nil {
		return nil, &booking.ReserveError{Problems: []booking.EventProblem{{EventID: ev.ID, Err: err}}}
	}
	if !link.Waitlist {
		return nil, booking.ErrWaitlistOff
	}
	seats, ok := parseSeats(rawSeats)
	switch {
	case !ok || seats < 1 || seats > link.EffectiveMaxSeats():
		return nil, booking.FieldErrors{"seats": booking.MsgSeatsOutOfRange}
	case seats > ev.Capacity:
		return nil, booking.ErrPartyTooLarge
	case seats <= ev.SeatsLeft():
		return nil, booking.ErrSeatsAvailable
	}
	return &Selection{LinkID: link.ID, EventID: ev.ID, Seats: seats, Wait: true, Events: []booking.Event{*ev}}, nil
}

// Join puts the contact of a waitlist selection in line. The phone is
// normalised and the contact checked as Book does; ip is the client's
// address, counted by the SMS limits of the "joined" message.
func (f *Flow) Join(ctx context.Context, link *booking.Link, cat *Catalog, sel *Selection, in ContactInput, ip string) (*booking.WaitlistEntry, error) {
	if !sel.Wait {
		return nil, fmt.Errorf("join with a booking selection: %w", ErrBadToken)
	}
	phone, err := f.NormalizedContact(link, cat, in)
	if err != nil {
		return nil, err
	}
	entry, err := f.Store.JoinWaitlist(ctx, booking.JoinWaitlistRequest{
		LocationID: link.LocationID, Link: link, EventID: sel.EventID, Seats: sel.Seats,
		Client: booking.ClientInput{Phone: phone, FirstName: in.FirstName, LastName: in.LastName, Email: in.Email},
		Lang:   sel.Lang, UTM: sel.UTM, ClientIP: ip,
	})
	if err != nil {
		return nil, fmt.Errorf("join waitlist: %w", err)
	}
	return entry, nil
}

// Waitlist is what a client's waitlist page shows: the entry with its
// event, and the link and catalog to show them through.
type Waitlist struct {
	View *booking.WaitlistView
	// Link is the link the client joined through; for an entry staff
	// added it is a stand-in with no slug, through which nothing can be
	// claimed online.
	Link *booking.Link
	Cat  *Catalog
}

// OpenWaitlist loads the entry a waitlist token opens.
func (f *Flow) OpenWaitlist(ctx context.Context, token string) (*Waitlist, error) {
	v, err := f.Store.WaitlistByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	link := &booking.Link{LocationID: v.Entry.LocationID}
	if v.Entry.LinkID != 0 {
		if link, err = f.Store.Link(ctx, v.Entry.LinkID); err != nil {
			return nil, err
		}
	}
	cat, err := f.catalog(ctx, v.Entry.LocationID)
	if err != nil {
		return nil, err
	}
	return &Waitlist{View: v, Link: link, Cat: cat}, nil
}

// ErrNoClaimOnline: the offer cannot be claimed through the widget (the
// entry came from staff, or its link was switched off): the studio books it.
var ErrNoClaimOnline = errors.New("offer cannot be claimed online")

// Claimable tells whether the page may offer "Book them".
func (w *Waitlist) Claimable() bool {
	return w.View.Entry.State == booking.WaitOffered && w.Link.ID != 0 && w.Link.Enabled
}

// ClaimSelection is the selection that books an offer: the entry's event
// and seats, carrying the entry's token for the core to check and claim
// (booking.ReserveRequest.OfferToken). The seats are not checked against
// the seats left: in-order offers hold theirs inside the event's taken
// seats, and the core gives them back to the claim.
func (w *Waitlist) ClaimSelection() (*Selection, error) {
	if w.View.Entry.State != booking.WaitOffered {
		return nil, booking.ErrOfferGone
	}
	if !w.Claimable() {
		return nil, ErrNoClaimOnline
	}
	e := w.View.Entry
	return &Selection{
		LinkID: w.Link.ID, EventID: e.EventID, Seats: e.Seats, Lang: e.Lang, UTM: e.UTM,
		Offer: e.Token, Events: []booking.Event{w.View.Event},
	}, nil
}

// ClaimContact is the contact form of a claim, filled from the entry's
// client: the core books the offer only for that client's phone.
func (w *Waitlist) ClaimContact() ContactInput {
	cl := w.View.Client
	return ContactInput{FirstName: cl.FirstName, LastName: cl.LastName, Phone: cl.Phone, Email: cl.Email}
}
