package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestUsablePasses(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		anna := passClient(t, f, 1)
		passClient(t, f, 2)
		evs := f.YogaEvents(t, 4, 10)
		ids := func(evs ...*booking.Event) []int64 {
			out := make([]int64, len(evs))
			for i, e := range evs {
				out[i] = e.ID
			}
			return out
		}
		three := withBalance(t, f, anna, 3)
		ten := withBalance(t, f, anna, 10)
		voided := withBalance(t, f, anna, 10)
		if _, err := f.Store.VoidPass(ctx, refOf(voided), "", 0); err != nil {
			t.Fatal(err)
		}
		pilates := sellPass(t, f, anna, passType(t, f, func(in *booking.PassTypeInput) { in.ServiceIDs = []int64{f.Pilates.ID} }))
		_ = pilates
		phone := booktest.Client(1).Phone

		// Three dates: both yoga passes pay.
		got, err := f.Store.UsablePasses(ctx, f.Location.ID, phone, booking.PassSelection{EventIDs: ids(evs[:3]...), Seats: 1})
		if err != nil || len(got) != 2 {
			t.Fatalf("3 dates: %d usable, %v", len(got), err)
		}
		// Four dates: only the ten; the three is listed with its shortfall.
		opts, err := f.Store.PassOptions(ctx, f.Location.ID, phone, booking.PassSelection{EventIDs: ids(evs...), Seats: 1})
		if err != nil || len(opts) != 2 {
			t.Fatalf("4 dates: %d options, %v", len(opts), err)
		}
		for _, o := range opts {
			var short *booking.PassShortError
			switch o.Pass.ID {
			case ten.ID:
				if o.Err != nil || o.Pass.Balance != 10 {
					t.Errorf("ten: %v, balance %d", o.Err, o.Pass.Balance)
				}
			case three.ID:
				if !errors.As(o.Err, &short) || short.Left != 3 || short.Needed != 4 {
					t.Errorf("three: %v", o.Err)
				}
			default:
				t.Errorf("pass %d offered", o.Pass.ID)
			}
		}
		// Seats count: 4 dates × 3 seats = 12 > 10.
		if got, _ := f.Store.UsablePasses(ctx, f.Location.ID, phone, booking.PassSelection{EventIDs: ids(evs...), Seats: 3}); len(got) != 0 {
			t.Errorf("12 visits: %d usable", len(got))
		}
		// Another phone, an unknown phone, another location: none.
		for name, tc := range map[string]struct {
			loc   int64
			phone string
		}{
			"bob":     {f.Location.ID, booktest.Client(2).Phone},
			"unknown": {f.Location.ID, booktest.Client(3).Phone},
			"other":   {f.Location.ID + 1000, phone},
		} {
			got, err := f.Store.UsablePasses(ctx, tc.loc, tc.phone, booking.PassSelection{EventIDs: ids(evs[0]), Seats: 1})
			if len(got) != 0 || (err != nil && !errors.Is(err, booking.ErrNotFound)) {
				t.Errorf("%s: %d usable, %v", name, len(got), err)
			}
		}
	})
}
