package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestLocationScopedLoads(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		other, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Elsewhere", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		if svc, err := f.Store.LocationService(ctx, f.Location.ID, f.Yoga.ID); err != nil || svc.ID != f.Yoga.ID {
			t.Errorf("own service: %v", err)
		}
		if _, err := f.Store.LocationService(ctx, other.ID, f.Yoga.ID); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("service of another location: %v", err)
		}
		if _, err := f.Store.LocationService(ctx, f.Location.ID, 424242); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown service: %v", err)
		}
		if tm, err := f.Store.LocationTeamMember(ctx, f.Location.ID, f.Sofie.ID); err != nil || len(tm.ServiceIDs) != 1 {
			t.Errorf("own member: %v %+v", err, tm)
		}
		if _, err := f.Store.LocationTeamMember(ctx, other.ID, f.Sofie.ID); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("member of another location: %v", err)
		}
		if _, err := f.Store.LocationTeamMember(ctx, f.Location.ID, 424242); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown member: %v", err)
		}
	})
}
