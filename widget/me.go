package widget

import (
	"context"
	"errors"
	"time"

	"groupbook/booking"
)

// "My bookings": a client confirms their phone with the same code step as
// a booking and then reads their bookings, passes and waitlist places at
// the link's location, without a password and without cookies. Two signed
// tokens carry the state: the code form's pending token (it holds the
// phone, and only ever travels in a POST body) and the page's access token
// (it goes in the URL, so it holds ids, never the phone).

const (
	mePendingPurpose = "me-pending"
	meAccessPurpose  = "me-access"
	// MeTTL is how long a My bookings page stays open after the code:
	// long enough to look around and change a booking, short enough that
	// a link left in a shared browser's history soon stops working.
	MeTTL = 30 * time.Minute
)

// MePending is the My bookings code form waiting for its code.
type MePending struct {
	LinkID int64  `json:"l"`
	Phone  string `json:"p"`
}

// MeAccess opens a client's My bookings page: the link it was opened
// through, its location, and the client (0 when the confirmed phone has
// never booked there: the page then shows nothing, like for a client with
// nothing booked).
type MeAccess struct {
	LinkID     int64 `json:"l"`
	LocationID int64 `json:"o"`
	ClientID   int64 `json:"c"`
}

// SealMePending signs the code form's pending confirmation.
func (f *Flow) SealMePending(link *booking.Link, phone string) (string, error) {
	return f.Signer.Seal(mePendingPurpose, MePending{LinkID: link.ID, Phone: phone}, f.Now())
}

// OpenMePending verifies a code form's pending confirmation for the link
// (ErrBadToken, ErrExpiredToken).
func (f *Flow) OpenMePending(link *booking.Link, token string) (*MePending, error) {
	p := new(MePending)
	if err := f.Signer.Open(mePendingPurpose, token, PendingTTL, f.Now(), p); err != nil {
		return nil, err
	}
	if p.LinkID != link.ID || p.Phone == "" {
		return nil, ErrBadToken
	}
	return p, nil
}

// SealMe signs access to the confirmed phone's page at the link's
// location. Call it only after the phone's code was checked.
func (f *Flow) SealMe(ctx context.Context, link *booking.Link, phone string) (string, error) {
	acc := MeAccess{LinkID: link.ID, LocationID: link.LocationID}
	cl, err := f.Store.ClientByPhone(ctx, link.LocationID, phone)
	switch {
	case err == nil:
		acc.ClientID = cl.ID
	case !errors.Is(err, booking.ErrNotFound):
		return "", err
	}
	return f.Signer.Seal(meAccessPurpose, acc, f.Now())
}

// OpenMe verifies a My bookings token for the link: a token of another
// link (or location) is ErrBadToken, an old one ErrExpiredToken.
func (f *Flow) OpenMe(link *booking.Link, token string) (*MeAccess, error) {
	acc := new(MeAccess)
	if err := f.Signer.Open(meAccessPurpose, token, MeTTL, f.Now(), acc); err != nil {
		return nil, err
	}
	if acc.LinkID != link.ID || acc.LocationID != link.LocationID {
		return nil, ErrBadToken
	}
	return acc, nil
}

// MyBookings reads what the page shows for an opened token.
func (f *Flow) MyBookings(ctx context.Context, acc *MeAccess) (*booking.ClientOverview, error) {
	return f.Store.ClientOverview(ctx, acc.LocationID, acc.ClientID)
}
