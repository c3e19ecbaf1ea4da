package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestMinSweepJobRevived: EnsureCoreJobs adds one sweep row however often
// it runs; a sweep row that failed (or was finished) is pending again on
// the next start, attempts reset; a pending one, leased by a running
// worker, is left alone.
func TestMinSweepJobRevived(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		for range 2 {
			if err := f.Store.EnsureCoreJobs(ctx); err != nil {
				t.Fatal(err)
			}
		}
		n, err := db.NewSelect().Model((*booking.Job)(nil)).Where("kind = ?", booking.JobMinAttendees).Count(ctx)
		if err != nil || n != 1 {
			t.Fatalf("%d sweep rows (%v)", n, err)
		}
		set := func(status string, attempts int, owner string, until *time.Time) {
			t.Helper()
			_, err := db.NewUpdate().Model((*booking.Job)(nil)).
				Set("status = ?", status).Set("attempts = ?", attempts).Set("lease_owner = ?", owner).Set("lease_until = ?", until).
				Set("last_error = ?", "boom").Set("run_at = ?", f.Now.Add(time.Hour)).
				Where("unique_key = ?", booking.MinAttendeesSweepKey).Exec(ctx)
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, status := range []string{booking.JobFailed, booking.JobDone} {
			set(status, 12, "", nil)
			f.Now = f.Now.Add(time.Minute)
			if err := f.Store.EnsureCoreJobs(ctx); err != nil {
				t.Fatal(err)
			}
			j := jobByKey(t, f, booking.MinAttendeesSweepKey)
			if j.Status != booking.JobPending || j.Attempts != 0 || !j.RunAt.Equal(f.Now) || j.LastError != "" || j.DoneAt != nil {
				t.Fatalf("%s sweep after EnsureCoreJobs: %+v", status, j)
			}
		}

		until := f.Now.Add(time.Minute)
		set(booking.JobPending, 1, "pay-other", &until)
		if err := f.Store.EnsureCoreJobs(ctx); err != nil {
			t.Fatal(err)
		}
		j := jobByKey(t, f, booking.MinAttendeesSweepKey)
		if j.LeaseOwner != "pay-other" || j.Attempts != 1 || !j.RunAt.Equal(f.Now.Add(time.Hour)) {
			t.Fatalf("a leased pending sweep was disturbed: %+v", j)
		}
	})
}
