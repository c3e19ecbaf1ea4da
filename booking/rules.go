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

// canClientReschedule: the booking live and not held for a payment under
// way (that group is paid or released as a whole), made through a link
// that lets clients reschedule, and the link's rescheduling cutoff not
// passed. Bookings staff made (no link) are moved by staff.
func canClientReschedule(b *Booking, ev *Event, link *Link, now time.Time) error {
	switch {
	case !b.Active():
		return ErrAlreadyCancelled
	case link == nil || !link.RescheduleMode.Valid() || link.RescheduleMode == RescheduleOff:
		return ErrRescheduleNotAllowed
	case b.Payment == PaymentOnlinePending:
		return fmt.Errorf("booking %d: %w", b.ID, ErrPaymentPending)
	case !now.Before(ev.StartsAt.Add(-link.RescheduleCutoff())):
		return fmt.Errorf("cutoff %s before %s: %w", link.RescheduleCutoff(), ev.StartsAt, ErrRescheduleCutoff)
	}
	return nil
}

// checkRescheduleTarget applies the link's rules to the event a client
// moves a booking of from to: the same location and service, the same
// team member when the link says so, and bookable online through the link
// as a new booking would be (live, not started, outside the buffer, the
// service and team member active, shown by the link). svc and tm are the
// target's service and team member (nil when unknown). Seats and the
// client's other bookings are checked under the lock by move.
func checkRescheduleTarget(from, to *Event, svc *Service, tm *TeamMember, link *Link, now time.Time) error {
	switch {
	case to == nil || to.LocationID != from.LocationID || to.DeletedAt != nil:
		return ErrNotFound
	case to.ID == from.ID:
		return ErrAlreadyBooked
	case to.ServiceID != from.ServiceID:
		return ErrDifferentService
	case link.RescheduleMode != RescheduleAnyMember && to.TeamMemberID != from.TeamMemberID:
		return ErrOtherMember
	}
	return checkBookable(to, svc, tm, link, now)
}
