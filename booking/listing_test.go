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

func ids(evs []booking.Event) []int64 {
	out := make([]int64, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}

func TestBookableEvents(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		yoga := f.YogaEvents(t, 3, 2)
		pil := f.Event(t, f.Pilates, f.Marton, yoga[0].StartsAt.Add(time.Hour), 8)
		soon := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(30*time.Minute), 8)
		past := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(-time.Hour), 8)
		gone := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(5*time.Hour), 8)
		if _, err := f.Store.DeleteEvent(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Reserve(ctx, req(f, 1, 2, yoga[1])); err != nil { // now full
			t.Fatal(err)
		}
		got, err := f.Store.BookableEvents(ctx, f.Link, booking.BookableFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := []int64{soon.ID, yoga[0].ID, pil.ID, yoga[1].ID, yoga[2].ID}
		if !equalIDs(ids(got), want) {
			t.Fatalf("listed %v, want %v (past %d and deleted %d excluded, full kept)", ids(got), want, past.ID, gone.ID)
		}
		if got[3].SeatsLeft() != 0 {
			t.Errorf("full event shows %d left", got[3].SeatsLeft())
		}
		buffered := *f.Link
		buffered.BufferMin = 60
		got, _ = f.Store.BookableEvents(ctx, &buffered, booking.BookableFilter{ServiceID: f.Yoga.ID})
		if !equalIDs(ids(got), []int64{yoga[0].ID, yoga[1].ID, yoga[2].ID}) {
			t.Errorf("buffer and service filter: %v", ids(got))
		}
		if err := f.Store.CheckBookable(ctx, &buffered, soon); !errors.Is(err, booking.ErrInsideBuffer) {
			t.Errorf("CheckBookable inside buffer: %v", err)
		}
		// Keyset paging: the page after yoga[0] starts at pil, which starts
		// an hour later; a key at the same start with a lower id comes
		// before an event, a higher id after it.
		got, _ = f.Store.BookableEvents(ctx, f.Link, booking.BookableFilter{Limit: 2, After: yoga[0].Key()})
		if !equalIDs(ids(got), []int64{pil.ID, yoga[1].ID}) {
			t.Errorf("page 2: %v", ids(got))
		}
		got, _ = f.Store.BookableEvents(ctx, f.Link, booking.BookableFilter{Limit: 1, After: booking.EventKey{StartsAt: pil.StartsAt, ID: pil.ID - 1}})
		if !equalIDs(ids(got), []int64{pil.ID}) {
			t.Errorf("key just before pil: %v", ids(got))
		}
		got, _ = f.Store.BookableEvents(ctx, f.Link, booking.BookableFilter{Limit: 1, After: booking.EventKey{StartsAt: pil.StartsAt, ID: pil.ID + 1}})
		if !equalIDs(ids(got), []int64{yoga[1].ID}) {
			t.Errorf("key just after pil: %v", ids(got))
		}
		pilOnly := *f.Link
		pilOnly.TeamMemberIDs = []int64{f.Marton.ID}
		got, _ = f.Store.BookableEvents(ctx, &pilOnly, booking.BookableFilter{})
		if !equalIDs(ids(got), []int64{pil.ID}) {
			t.Errorf("link's member choice: %v", ids(got))
		}
		if err := f.Store.SetTeamMemberActive(ctx, f.Marton.ID, false); err != nil {
			t.Fatal(err)
		}
		got, _ = f.Store.BookableEvents(ctx, f.Link, booking.BookableFilter{TeamMemberID: f.Marton.ID})
		if len(got) != 0 {
			t.Errorf("archived member's events listed: %v", ids(got))
		}
		if _, err := f.Store.Reserve(ctx, req(f, 3, 1, pil)); !errors.Is(err, booking.ErrOnlineBookingOff) {
			t.Errorf("booking an archived member's event: %v", err)
		}
	})
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
