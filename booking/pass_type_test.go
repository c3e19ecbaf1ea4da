package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func yogaPassInput(f *booktest.Fixture) booking.PassTypeInput {
	return booking.PassTypeInput{
		Name: "10 Yoga classes", Kind: booking.PassVisits, Visits: 10, ValidityDays: 90,
		ValidFrom: booking.ValidFromSale, PriceMinor: 3000000, Currency: "huf",
		OnSaleOnline: true, ServiceIDs: []int64{f.Yoga.ID},
	}
}

func TestPassTypeValidation(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		other, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		otherSvc, err := f.Store.CreateService(ctx, other.ID, booking.ServiceInput{Name: "Surf", DurationMin: 60, DefaultCapacity: 5, Currency: "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, field, msg string
			edit             func(*booking.PassTypeInput)
		}{
			{"no name", "name", booking.MsgRequired, func(in *booking.PassTypeInput) { in.Name = "  " }},
			{"zero visits", "visits", booking.MsgPassVisitsRange, func(in *booking.PassTypeInput) { in.Visits = 0 }},
			{"501 visits", "visits", booking.MsgPassVisitsRange, func(in *booking.PassTypeInput) { in.Visits = 501 }},
			{"zero days", "validity_days", booking.MsgPassValidityRange, func(in *booking.PassTypeInput) { in.ValidityDays = 0 }},
			{"731 days", "validity_days", booking.MsgPassValidityRange, func(in *booking.PassTypeInput) { in.ValidityDays = 731 }},
			{"bad kind", "kind", booking.MsgInvalidPassKind, func(in *booking.PassTypeInput) { in.Kind = "forever" }},
			{"bad start", "valid_from", booking.MsgInvalidValidFrom, func(in *booking.PassTypeInput) { in.ValidFrom = "never" }},
			{"negative price", "price_minor", booking.MsgOutOfRange, func(in *booking.PassTypeInput) { in.PriceMinor = -1 }},
			{"bad currency", "currency", booking.MsgInvalidCurrency, func(in *booking.PassTypeInput) { in.Currency = "forint" }},
			{"no service", "services", booking.MsgPassNoServices, func(in *booking.PassTypeInput) { in.ServiceIDs = nil }},
			{"other location's service", "services", booking.MsgUnknownService, func(in *booking.PassTypeInput) { in.ServiceIDs = append(in.ServiceIDs, otherSvc.ID) }},
			{"missing service", "services", booking.MsgUnknownService, func(in *booking.PassTypeInput) { in.ServiceIDs = []int64{987654} }},
		} {
			in := yogaPassInput(f)
			tc.edit(&in)
			_, err := f.Store.CreatePassType(ctx, f.Location.ID, in)
			if !errors.Is(err, booking.ErrInvalid) {
				t.Errorf("%s: got %v, want a field error", tc.name, err)
				continue
			}
			wantField(t, err, tc.field, tc.msg)
		}
		list, err := f.Store.PassTypes(ctx, f.Location.ID)
		if err != nil || len(list) != 0 {
			t.Fatalf("invalid input stored pass types: %v %v", list, err)
		}

		// The bounds themselves are fine; unlimited ignores visits.
		in := yogaPassInput(f)
		in.Visits, in.ValidityDays = 500, 730
		if _, err := f.Store.CreatePassType(ctx, f.Location.ID, in); err != nil {
			t.Fatalf("500 visits for 730 days: %v", err)
		}
		in = yogaPassInput(f)
		in.Kind, in.Visits, in.ValidityDays, in.ValidFrom = booking.PassUnlimited, 0, 1, booking.ValidFromFirstUse
		pt, err := f.Store.CreatePassType(ctx, f.Location.ID, in)
		if err != nil {
			t.Fatalf("unlimited: %v", err)
		}
		if !pt.Unlimited() || pt.Visits != 0 {
			t.Errorf("unlimited stored as %+v", pt)
		}
	})
}

func TestPassTypeCRUD(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		pt, err := f.Store.CreatePassType(ctx, f.Location.ID, yogaPassInput(f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.Store.PassType(ctx, f.Location.ID, pt.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "10 Yoga classes" || got.Currency != "HUF" || got.Visits != 10 || len(got.ServiceIDs) != 1 || got.ServiceIDs[0] != f.Yoga.ID {
			t.Errorf("stored %+v", got)
		}
		in := yogaPassInput(f)
		in.Name, in.ServiceIDs, in.Visits = "Any class ×5", []int64{f.Pilates.ID, f.Yoga.ID, f.Yoga.ID}, 5
		if _, err := f.Store.UpdatePassType(ctx, f.Location.ID, pt.ID, in); err != nil {
			t.Fatal(err)
		}
		got, _ = f.Store.PassType(ctx, f.Location.ID, pt.ID)
		if got.Name != "Any class ×5" || got.Visits != 5 || len(got.ServiceIDs) != 2 {
			t.Errorf("updated %+v", got)
		}
		in.Visits = 0
		if _, err := f.Store.UpdatePassType(ctx, f.Location.ID, pt.ID, in); !errors.Is(err, booking.ErrInvalid) {
			t.Errorf("invalid update: %v", err)
		}

		// Another location cannot read, edit or archive it.
		other, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.PassType(ctx, other.ID, pt.ID); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("other location read: %v", err)
		}
		if err := f.Store.ArchivePassType(ctx, other.ID, pt.ID, true); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("other location archive: %v", err)
		}
		in.Visits = 5
		if _, err := f.Store.UpdatePassType(ctx, other.ID, pt.ID, in); !errors.Is(err, booking.ErrInvalid) && !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("other location update: %v", err)
		}

		if err := f.Store.ArchivePassType(ctx, f.Location.ID, pt.ID, true); err != nil {
			t.Fatal(err)
		}
		list, err := f.Store.PassTypes(ctx, f.Location.ID)
		if err != nil || len(list) != 1 || !list[0].Archived || len(list[0].ServiceIDs) != 2 {
			t.Fatalf("list after archive: %+v %v", list, err)
		}
		if list, _ := f.Store.PassTypes(ctx, other.ID); len(list) != 0 {
			t.Errorf("other location lists %d types", len(list))
		}
	})
}
