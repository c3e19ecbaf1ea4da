package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestLiveSessions(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		a, err := f.Store.CreateUser(ctx, "a@example.com", "A", "long enough password", booking.RoleOwner)
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.Store.CreateUser(ctx, "b@example.com", "B", "long enough password", booking.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, _, err := f.Store.CreateSession(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := f.Store.CreateSession(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		got, err := f.Store.LiveSessions(ctx)
		if err != nil || got[a.ID] != 2 || got[b.ID] != 1 {
			t.Fatalf("live sessions %v: %v", got, err)
		}
		// A session idle for longer than SessionIdle no longer counts.
		f.Now = f.Now.Add(booking.SessionIdle + time.Minute)
		if got, err := f.Store.LiveSessions(ctx); err != nil || len(got) != 0 {
			t.Errorf("idle sessions counted: %v %v", got, err)
		}
		f.Now = booktest.Now
		if err := f.Store.EndUserSessions(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := f.Store.LiveSessions(ctx); err != nil || got[a.ID] != 0 || got[b.ID] != 1 {
			t.Errorf("after signing a out everywhere: %v %v", got, err)
		}
	})
}
