package booking

import (
	"fmt"
	"time"
)

// checkBookable applies the per-event rules of an online booking through a
// link: the event must be live, not started, outside the link's buffer, of
// an active service open to online booking, with an active team member, and
// offered by the link. Admin bookings skip these: staff may add a walk-in to
// a class that has begun.
func checkBookable(ev *Event, svc *Service, tm *TeamMember, link *Link, now time.Time) error {
	switch {
	case ev.DeletedAt != nil:
		return ErrNotFound
	case !ev.StartsAt.After(now):
		return ErrStarted
	case ev.StartsAt.Before(now.Add(link.Buffer())):
		return ErrInsideBuffer
	case svc == nil || !svc.Active || !svc.OnlineBooking || tm == nil || !tm.Active:
		return ErrOnlineBookingOff
	case !link.Offers(ev.ServiceID, ev.TeamMemberID):
		return ErrNotOnLink
	}
	return nil
}

// CanClientCancel tells whether the client may still cancel a booking of ev
// made through link: cancellation must be on and the cutoff not passed.
// Bookings made by staff (no link) are cancelled by staff.
func CanClientCancel(b *Booking, ev *Event, link *Link, now time.Time) error {
	switch {
	case !b.Active():
		return ErrAlreadyCancelled
	case link == nil || !link.CancelAllowed:
		return ErrCancelNotAllowed
	case !now.Before(ev.StartsAt.Add(-link.CancelCutoff())):
		return fmt.Errorf("cutoff %s before %s: %w", link.CancelCutoff(), ev.StartsAt, ErrCutoffPassed)
	}
	return nil
}
