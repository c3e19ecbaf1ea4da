package booking_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// entryNow reads an entry as it is in the database.
func entryNow(t *testing.T, db *bun.DB, id int64) *booking.WaitlistEntry {
	t.Helper()
	e := new(booking.WaitlistEntry)
	if err := db.NewSelect().Model(e).Where("id = ?", id).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e
}

// wantState fails unless every entry is in state.
func wantState(t *testing.T, db *bun.DB, state booking.WaitlistState, entries ...*booking.WaitlistEntry) {
	t.Helper()
	for _, e := range entries {
		if got := entryNow(t, db, e.ID); got.State != state {
			t.Fatalf("entry %d (seats %d) is %s, want %s: %+v", e.ID, e.Seats, got.State, state, got)
		}
	}
}

// claimReq is client n's booking request claiming entry e's offer.
func claimReq(f *booktest.Fixture, n, seats int, e *booking.WaitlistEntry, ev *booking.Event) booking.ReserveRequest {
	r := req(f, n, seats, ev)
	r.OfferToken = e.Token
	return r
}

// offerJob reads the job ending entry e's current offer.
func offerJob(t *testing.T, f *booktest.Fixture, db *bun.DB, e *booking.WaitlistEntry) *booking.Job {
	t.Helper()
	cur := entryNow(t, db, e.ID)
	if cur.OfferedAt == nil {
		t.Fatalf("entry %d has no offer", e.ID)
	}
	return jobByKey(t, f, fmt.Sprintf("offer_expire:%d:%d", e.ID, cur.OfferedAt.Unix()))
}

// fullYoga is a Yoga event tomorrow evening of capacity seats, booked full
// by staff; it returns the event and its bookings.
func fullYoga(t *testing.T, f *booktest.Fixture, capacity int) (*booking.Event, []booking.Booking) {
	t.Helper()
	ev := f.YogaEvents(t, 1, capacity)[0]
	return ev, f.Fill(t, ev)
}

// staffBook books seats for client n as staff.
func staffBook(t *testing.T, f *booktest.Fixture, n, seats int, ev *booking.Event) booking.Booking {
	t.Helper()
	r := req(f, n, seats, ev)
	r.Link = nil
	res, err := f.Store.Reserve(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return res.Bookings[0]
}

func cancelAdmin(t *testing.T, f *booktest.Fixture, b booking.Booking) {
	t.Helper()
	if _, err := f.Store.CancelByAdmin(context.Background(), b.ID); err != nil {
		t.Fatal(err)
	}
}

func until(t *testing.T, db *bun.DB, e *booking.WaitlistEntry) time.Time {
	t.Helper()
	cur := entryNow(t, db, e.ID)
	if cur.OfferUntil == nil {
		t.Fatalf("entry %d has no offer", e.ID)
	}
	return *cur.OfferUntil
}
