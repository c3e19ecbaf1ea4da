package booking

import (
	"context"
	"time"
)

// An event's minimum attendees: its own override (Event.MinAttendees, set
// on the event form; nil takes the service's) or its service's, decided
// MinDecideHours before the start (min_attendees.go).

// checkMinOverride checks an event's minimum-attendee override: none (nil)
// or 0..capacity, since a minimum above the capacity could never be met.
func checkMinOverride(c *checker, min *int, capacity int) {
	switch {
	case min == nil:
	case *min < 0:
		c.add("min_attendees", MsgOutOfRange)
	case *min > capacity:
		c.add("min_attendees", MsgMinAboveCapacity)
	}
}

// MsgMinAboveCapacity: an event's minimum attendees above its capacity.
const MsgMinAboveCapacity = "error_wait_min_above_capacity"

// effectiveMin is the minimum that applies to ev of svc (0: none).
func effectiveMin(ev *Event, svc *Service) int {
	if ev.MinAttendees != nil {
		return *ev.MinAttendees
	}
	return svc.MinAttendees
}

// minDecideAt is when an event's minimum is decided.
func minDecideAt(ev *Event, svc *Service) time.Time {
	return ev.StartsAt.Add(-time.Duration(svc.MinDecideHours) * time.Hour)
}

// MinAttendeesInfo is what the event window shows of an event's minimum:
// the minimum that applies (the event's override, else its service's; 0:
// none, and nothing will be decided), when it is decided and the decision
// so far (MinUndecided before then).
func (s *Store) MinAttendeesInfo(ctx context.Context, eventID int64) (min int, decideAt time.Time, state MinState, err error) {
	ev, err := s.Event(ctx, eventID)
	if err != nil {
		return 0, time.Time{}, "", err
	}
	svc, err := s.Service(ctx, ev.ServiceID)
	if err != nil {
		return 0, time.Time{}, "", err
	}
	return effectiveMin(ev, svc), minDecideAt(ev, svc), ev.MinState, nil
}
