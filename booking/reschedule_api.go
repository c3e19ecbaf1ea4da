package booking

import (
	"context"
	"errors"
	"time"
)

// RescheduleMode says which events a client may move a booking to.
type RescheduleMode string

// Reschedule modes of a link.
const (
	RescheduleOff RescheduleMode = "off"
	// RescheduleSameMember: another date of the same service with the same
	// team member.
	RescheduleSameMember RescheduleMode = "same_member"
	// RescheduleAnyMember: any date of the same service the link shows.
	RescheduleAnyMember RescheduleMode = "any_member"
)

// Valid tells whether m is a known mode.
func (m RescheduleMode) Valid() bool {
	switch m {
	case RescheduleOff, RescheduleSameMember, RescheduleAnyMember:
		return true
	}
	return false
}

// RescheduleCutoff is how long before an event a client may still move
// the booking: the link's own cutoff, or else its cancellation cutoff.
func (l *Link) RescheduleCutoff() time.Duration {
	if l.RescheduleOwnCutoff {
		return time.Duration(l.RescheduleCutoffMin) * time.Minute
	}
	return l.CancelCutoff()
}

// Reschedule refusals, beside the booking errors they share (ErrFull,
// ErrStarted, ErrInsideBuffer, ErrAlreadyBooked, ErrDifferentService,
// ErrNotOnLink, ErrAlreadyCancelled, ErrPaymentPending).
var (
	ErrRescheduleNotAllowed = errors.New("this link does not allow rescheduling")
	ErrRescheduleCutoff     = errors.New("the rescheduling cutoff has passed")
	// ErrOtherMember: the link lets clients move only to the same team
	// member's dates.
	ErrOtherMember = errors.New("event has another team member")
	// ErrRescheduleStale: the booking is no longer in the event the client
	// saw it in (a second reschedule raced the first, or staff moved it).
	ErrRescheduleStale = errors.New("the booking was moved meanwhile")
)

// RescheduleRequest moves one booking of a client's group to another event.
type RescheduleRequest struct {
	// Token is the group's manage token: it names the client and the link.
	Token     string
	BookingID int64
	// FromEventID is the event the client saw the booking in; if the
	// booking is elsewhere by now the move is refused (ErrRescheduleStale).
	FromEventID int64
	ToEventID   int64
	// ClientIP is counted by the SMS limits (the "moved" message).
	ClientIP string
}

// Reschedule is a done move: the booking after it (Sequence raised) and the
// events it left and joined.
type Reschedule struct {
	Booking  Booking
	From, To Event
}

// CanClientReschedule tells whether the client may still move booking b of
// event ev under link (nil for bookings staff made: never). It checks the
// booking, the link's mode and the cutoff; the target's rules are checked
// by RescheduleByClient.
func CanClientReschedule(b *Booking, ev *Event, link *Link, now time.Time) error {
	return canClientReschedule(b, ev, link, now)
}

// RescheduleByClient moves a booking of the token's group to another event
// in one transaction (MoveBooking's seats, pass and payment rules), after
// the link's rules: rescheduling allowed and before its cutoff; the target
// of the same service, shown by the link, of the same team member where
// the link says so, not started nor inside the link's buffer, with the
// seats free; the client not already booked there. The booking's Sequence
// goes up, its reminder moves, and the client is told the new time.
func (s *Store) RescheduleByClient(ctx context.Context, req RescheduleRequest) (*Reschedule, error) {
	return s.rescheduleByClient(ctx, req)
}

// RescheduleTargets lists the events the token's booking can move to, in
// start order (the same set RescheduleByClient accepts, give or take seats
// booked meanwhile), at most limit of them.
func (s *Store) RescheduleTargets(ctx context.Context, token string, bookingID int64, now time.Time, limit int) ([]Event, error) {
	return s.rescheduleTargets(ctx, token, bookingID, now, limit)
}
