package booking

import (
	"context"
	"time"
)

// MinAttendeesInfo is a stub of helper B's read API (min_attendees*.go on
// branch i12-min), here only so the admin builds against its signature;
// it is dropped at the merge in favour of B's. B's gives the event's
// effective minimum (the event's override, else the service's), when the
// decision falls, and the decision made. The stub says "no minimum", so
// the event window works meanwhile.
func (s *Store) MinAttendeesInfo(ctx context.Context, eventID int64) (min int, decideAt time.Time, state MinState, err error) {
	return 0, time.Time{}, MinUndecided, nil
}
