package booking_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestSessions(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		u, err := f.Store.CreateUser(ctx, "staff@example.com", "Staff", "long enough password", booking.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := f.Store.CreateSession(ctx, u.ID)
		if err != nil || len(token) < 40 {
			t.Fatalf("token %q: %v", token, err)
		}
		var stored booking.Session
		if err := db.NewSelect().Model(&stored).Limit(1).Scan(ctx); err != nil || stored.ID == token {
			t.Fatal("the raw token is stored")
		}
		if _, got, err := f.Store.SessionUser(ctx, token); err != nil || got.ID != u.ID {
			t.Fatalf("session user: %v", err)
		}
		if _, _, err := f.Store.SessionUser(ctx, token+"x"); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("wrong token: %v", err)
		}
		// Idle too long, then used within the window: extended.
		f.Now = f.Now.Add(6 * 24 * time.Hour)
		if _, _, err := f.Store.SessionUser(ctx, token); err != nil {
			t.Errorf("after 6 idle days: %v", err)
		}
		f.Now = f.Now.Add(6 * 24 * time.Hour)
		if _, _, err := f.Store.SessionUser(ctx, token); err != nil {
			t.Errorf("6 days after last use: %v", err)
		}
		f.Now = f.Now.Add(8 * 24 * time.Hour)
		if _, _, err := f.Store.SessionUser(ctx, token); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("8 idle days: %v", err)
		}
		// Sign out ends it at once.
		f.Now = booktest.Now
		t2, _, _ := f.Store.CreateSession(ctx, u.ID)
		if err := f.Store.EndSession(ctx, t2); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.Store.SessionUser(ctx, t2); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("after sign-out: %v", err)
		}
		t3, _, _ := f.Store.CreateSession(ctx, u.ID)
		if err := f.Store.EndUserSessions(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.Store.SessionUser(ctx, t3); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("after ending all: %v", err)
		}
	})
}
