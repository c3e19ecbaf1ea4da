package booking

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// RunCoreJob runs a job of the core's own kinds, which need nothing from
// outside: a waitlist offer's end (JobOfferExpire) and the recurring
// minimum-attendee sweep (JobMinAttendees). handled is false for other
// kinds (the payment worker's own). A recurring job returns when it runs
// next, and the worker reschedules it; a zero next means done. The sweep
// is rescheduled even when it fails: one bad event must not stop the
// decisions of every other (its error is logged by the caller and the
// events it missed are found again on the next run).
func (s *Store) RunCoreJob(ctx context.Context, j *Job) (next time.Time, handled bool, err error) {
	switch j.Kind {
	case JobOfferExpire:
		if _, err := s.ExpireOffer(ctx, j.RefID); err != nil && !errors.Is(err, ErrNotFound) {
			return time.Time{}, true, fmt.Errorf("expire offer %d: %w", j.RefID, err)
		}
		return time.Time{}, true, nil
	case JobMinAttendees:
		_, err := s.DecideMinAttendees(ctx)
		return s.now().Add(MinAttendeesSweepEvery), true, err
	}
	return time.Time{}, false, nil
}
