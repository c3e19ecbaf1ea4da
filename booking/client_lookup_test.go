package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestLookupClient(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 2, 10)
		in := booktest.Client(1) // +36201000001
		in.Email = "anna@example.com"
		r := staffReq(f, 1, 1, "", evs[0])
		r.Client = in
		if _, err := f.Store.Reserve(ctx, r); err != nil {
			t.Fatal(err)
		}
		// Typed the way a Hungarian would, without the country code.
		m, err := f.Store.LookupClient(ctx, f.Location.ID, evs[0].ID, "06 20 100 0001")
		if err != nil {
			t.Fatal(err)
		}
		if m.Client.FirstName != "Anna" || m.Client.Email != "anna@example.com" || !m.Booked {
			t.Errorf("match in booked event: %+v", m)
		}
		if m, err = f.Store.LookupClient(ctx, f.Location.ID, evs[1].ID, "+36 20 100 0001"); err != nil || m.Booked {
			t.Errorf("match in another event: %+v %v", m, err)
		}
		if _, err := f.Store.LookupClient(ctx, f.Location.ID, evs[0].ID, "06 20 100"); !errors.Is(err, booking.ErrInvalid) {
			t.Errorf("half-typed number: %v", err)
		}
		if _, err := f.Store.LookupClient(ctx, f.Location.ID, evs[0].ID, "06 20 100 0002"); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown number: %v", err)
		}
		// Clients are per location: another studio does not see Anna.
		other, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other", TimeZone: "Europe/Budapest", Country: "HU", DefaultLang: "hu"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.LookupClient(ctx, other.ID, evs[0].ID, "06 20 100 0001"); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("other location: %v", err)
		}
	})
}
