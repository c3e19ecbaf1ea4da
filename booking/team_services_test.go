package booking_test

import (
	"context"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestMemberServices(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		both, err := f.Store.CreateTeamMember(ctx, f.Location.ID, booking.TeamMemberInput{Name: "Both", ServiceIDs: []int64{f.Pilates.ID, f.Yoga.ID}})
		if err != nil {
			t.Fatal(err)
		}
		none, err := f.Store.CreateTeamMember(ctx, f.Location.ID, booking.TeamMemberInput{Name: "None"})
		if err != nil {
			t.Fatal(err)
		}
		// Another location's members must not leak into this one's map.
		other, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Elsewhere", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		osvc, err := f.Store.CreateService(ctx, other.ID, booking.ServiceInput{Name: "Surf", DurationMin: 90, DefaultCapacity: 6, Currency: "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		outsider, err := f.Store.CreateTeamMember(ctx, other.ID, booking.TeamMemberInput{Name: "Outsider", ServiceIDs: []int64{osvc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.Store.MemberServices(ctx, f.Location.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []int64{f.Yoga.ID, f.Pilates.ID}
		slices.Sort(want)
		if !slices.Equal(got[both.ID], want) || !slices.Equal(got[f.Sofie.ID], []int64{f.Yoga.ID}) {
			t.Errorf("member services %v", got)
		}
		if _, ok := got[none.ID]; ok {
			t.Errorf("member without services has %v", got[none.ID])
		}
		if _, ok := got[outsider.ID]; ok {
			t.Error("another location's member listed")
		}
	})
}
