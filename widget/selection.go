package widget

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"groupbook/booking"
)

// selectionPurpose names selection tokens (see Signer.Seal).
const selectionPurpose = "selection"

// Selection is what the client picked, carried signed from the event page
// to the contact step and the final submit.
type Selection struct {
	LinkID  int64       `json:"l"`
	EventID int64       `json:"e"`
	Also    []int64     `json:"a,omitempty"`
	Seats   int         `json:"s"`
	Lang    string      `json:"g,omitempty"`
	UTM     booking.UTM `json:"u"`
	// Key is the idempotency key of the final submit, fixed when the contact
	// form is first shown, so a double click or a retry books once.
	Key string `json:"k"`
	// Wait: the selection asks for a place on the waitlist (Join), not
	// for seats (Book).
	Wait bool `json:"w,omitempty"`
	// Offer is the waitlist entry token whose offer this selection claims
	// (booking.ReserveRequest.OfferToken): the core books it only for the
	// entry's client, event and seats.
	Offer string `json:"o,omitempty"`
	// Events are the checked events in EventIDs order when Select made
	// the selection, so the contact step does not read them again; an
	// opened token has none.
	Events []booking.Event `json:"-"`
}

// EventIDs is the chosen event followed by the Book another ones.
func (s *Selection) EventIDs() []int64 { return append([]int64{s.EventID}, s.Also...) }

// SelectionInput is the selection as the browser sent it: untrusted.
type SelectionInput struct {
	EventID int64
	Also    []int64
	Seats   string
	Weekday string // "0".."6" filters Book another to one weekday
	All     bool   // "View all dates"
}

// ParseIDs turns form values into positive ids, dropping anything else and
// duplicates; a tampered value cannot become an id.
func ParseIDs(values []string) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, v := range values {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err == nil && id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// parseSeats reads the seat count; empty means one seat.
func parseSeats(raw string) (int, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 1, true
	}
	n, err := strconv.Atoi(raw)
	return n, err == nil
}

// Select checks a selection completely against the link's rules and the
// seats left, as the Continue button submits it. Problems with events come
// back as *booking.ReserveError, a bad seat count as booking.FieldErrors.
//
// The service and team member rules are judged on cat, the link's catalog
// (current with the store's catalog version), not read again.
func (f *Flow) Select(ctx context.Context, link *booking.Link, cat *Catalog, in SelectionInput) (*Selection, error) {
	primary, err := f.Store.Event(ctx, in.EventID)
	if err != nil || primary.LocationID != link.LocationID {
		return nil, &booking.ReserveError{Problems: []booking.EventProblem{{EventID: in.EventID, Err: booking.ErrNotFound}}}
	}
	seats, ok := parseSeats(in.Seats)
	if !ok || seats < 1 || seats > link.EffectiveMaxSeats() {
		return nil, booking.FieldErrors{"seats": booking.MsgSeatsOutOfRange}
	}
	also := in.Also
	var problems []booking.EventProblem
	events := []booking.Event{*primary}
	if err := f.checkBookable(cat, link, primary); err != nil {
		problems = append(problems, booking.EventProblem{EventID: primary.ID, Err: err})
	} else if primary.SeatsLeft() < seats {
		problems = append(problems, booking.EventProblem{EventID: primary.ID, Err: booking.ErrFull})
	}
	maxExtra := link.EffectiveMaxEvents() - 1
	for i, id := range also {
		switch ev, err := f.Store.Event(ctx, id); {
		case id == primary.ID:
			problems = append(problems, booking.EventProblem{EventID: id, Err: booking.ErrDuplicateEvent})
		case i >= maxExtra:
			problems = append(problems, booking.EventProblem{EventID: id, Err: booking.ErrTooManyEvents})
		case err != nil || ev.LocationID != link.LocationID:
			problems = append(problems, booking.EventProblem{EventID: id, Err: booking.ErrNotFound})
		case ev.ServiceID != primary.ServiceID || ev.TeamMemberID != primary.TeamMemberID:
			problems = append(problems, booking.EventProblem{EventID: id, Err: booking.ErrDifferentService})
		default:
			if err := f.checkBookable(cat, link, ev); err != nil {
				problems = append(problems, booking.EventProblem{EventID: id, Err: err})
			} else if ev.SeatsLeft() < seats {
				problems = append(problems, booking.EventProblem{EventID: id, Err: booking.ErrFull})
			}
			events = append(events, *ev)
		}
	}
	if len(problems) > 0 {
		return nil, &booking.ReserveError{Problems: problems}
	}
	return &Selection{LinkID: link.ID, EventID: primary.ID, Also: also, Seats: seats, Events: events}, nil
}

// checkBookable applies booking's rules to ev with its service and team
// member from cat.
func (f *Flow) checkBookable(cat *Catalog, link *booking.Link, ev *booking.Event) error {
	var svc *booking.Service
	var tm *booking.TeamMember
	if s, ok := cat.Services[ev.ServiceID]; ok {
		svc = &s
	}
	if m, ok := cat.Members[ev.TeamMemberID]; ok {
		tm = &m
	}
	return f.Store.CheckBookableWith(link, ev, svc, tm)
}

// Seal signs a selection for the contact form, giving it its request key.
func (f *Flow) Seal(sel *Selection) (string, error) {
	if sel.Key == "" {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return "", fmt.Errorf("request key: %w", err)
		}
		sel.Key = "w-" + base64.RawURLEncoding.EncodeToString(b)
	}
	return f.Signer.Seal(selectionPurpose, sel, f.Store.Clock())
}

// OpenSelection verifies a selection token for the link.
func (f *Flow) OpenSelection(link *booking.Link, token string) (*Selection, error) {
	sel := new(Selection)
	if err := f.Signer.Open(selectionPurpose, token, f.SelectionTTL, f.Store.Clock(), sel); err != nil {
		return nil, err
	}
	if sel.LinkID != link.ID {
		return nil, ErrBadToken
	}
	return sel, nil
}

// ContactInput is what the client typed on the contact step: untrusted.
type ContactInput struct {
	FirstName, LastName, Phone, Email, Comment string
}

// Book creates the selection's bookings, all or nothing. The phone is
// normalised here with the location's country as the default region; ip
// is the client's address, for the SMS limits.
//
// passID is the pass that pays for every seat of every date (0: paid at
// the studio). It comes from the browser: the core takes it only if it is
// the pass of this phone's client at this location and can pay for all of
// it. The caller must have the phone confirmed by SMS code before passing
// one (see UsablePasses); a link without SMS confirmation never spends a
// pass, and a link that requires one (Prepayment) books nothing without.
func (f *Flow) Book(ctx context.Context, link *booking.Link, cat *Catalog, sel *Selection, in ContactInput, ip string, passID int64) (*booking.Reservation, error) {
	if sel.Wait {
		return nil, fmt.Errorf("book with a waitlist selection: %w", ErrBadToken)
	}
	phone, err := f.NormalizedContact(link, cat, in)
	if err != nil {
		return nil, err
	}
	switch {
	case passID != 0 && !link.SMSConfirm:
		return nil, fmt.Errorf("pass %d on a link without phone confirmation: %w", passID, ErrPassUnknown)
	case passID == 0 && link.PassRequired():
		return nil, ErrPassRequired
	}
	client := booking.ClientInput{Phone: phone, FirstName: in.FirstName, LastName: in.LastName, Email: in.Email}
	res, err := f.Store.Reserve(ctx, booking.ReserveRequest{
		LocationID: link.LocationID, Link: link, Key: sel.Key, EventIDs: sel.EventIDs(), Seats: sel.Seats,
		Client: client, Comment: in.Comment, Lang: sel.Lang, UTM: sel.UTM, ClientIP: ip, PassID: passID,
		OfferToken: sel.Offer,
	})
	var re *booking.ReserveError
	if passID != 0 && errors.Is(err, booking.ErrNotFound) && !errors.As(err, &re) {
		// Events that vanished come back as a ReserveError; a bare "not
		// found" with a pass is the pass: another client's, another
		// location's, or none.
		return nil, fmt.Errorf("%w: %w", ErrPassUnknown, err)
	}
	return res, err
}

// Now is the flow's clock.
func (f *Flow) Now() time.Time { return f.Store.Clock() }
