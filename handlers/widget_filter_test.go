package handlers

import (
	"context"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// filterOptions returns the names a filter select offers (without "All").
func filterOptions(p *page, name string) []string {
	var out []string
	p.doc.Find(`select[name=` + name + `] option`).Each(func(_ int, s *goqSel) {
		if s.AttrOr("value", "") != "" {
			out = append(out, s.Text())
		}
	})
	return out
}

// Issue 8, item 19a: a link limited to some services offered, in its
// teacher filter, team members who run none of them (then "no classes").
// The filters now offer only members who run one of the link's services
// (and are on the link, when it limits members), and only services one of
// those members runs.
func TestWidgetFiltersOfferOnlyWhoCanMeet(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		f := e.f
		// Zoe runs both; Ivan runs nothing; Sofie Yoga, Márton Pilates.
		zoe, err := f.Store.CreateTeamMember(ctx, f.Location.ID, booking.TeamMemberInput{Name: "Zoe", ServiceIDs: []int64{f.Yoga.ID, f.Pilates.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.CreateTeamMember(ctx, f.Location.ID, booking.TeamMemberInput{Name: "Ivan"}); err != nil {
			t.Fatal(err)
		}
		f.YogaEvents(t, 2, 10)
		save := func(services, members []int64) {
			t.Helper()
			l := *f.Link
			l.ServiceIDs, l.TeamMemberIDs = services, members
			if err := f.Store.SaveLink(ctx, &l); err != nil {
				t.Fatal(err)
			}
		}

		// Every service: each member who runs something, every service.
		p := e.get("/w/sunrise")
		if got := filterOptions(p, "member"); !slices.Equal(got, []string{"Márton", "Sofie", "Zoe"}) {
			t.Errorf("all services: members %v, want Márton, Sofie, Zoe (not Ivan, who runs nothing)", got)
		}
		if got := filterOptions(p, "service"); !slices.Equal(got, []string{"Pilates", "Yoga"}) {
			t.Errorf("all services: services %v", got)
		}

		// Pilates only: Sofie runs no Pilates.
		save([]int64{f.Pilates.ID}, nil)
		if got := filterOptions(e.get("/w/sunrise"), "member"); !slices.Equal(got, []string{"Márton", "Zoe"}) {
			t.Errorf("Pilates link: members %v, want Márton and Zoe", got)
		}

		// Pilates with Sofie and Márton on the link: Márton alone, no filter.
		save([]int64{f.Pilates.ID}, []int64{f.Sofie.ID, f.Marton.ID})
		if p := e.get("/w/sunrise"); p.doc.Find(`select[name=member]`).Length() != 0 {
			t.Errorf("one member who can meet, but a member filter offers %v", filterOptions(p, "member"))
		}

		// Sofie and Zoe, every service: Márton is not on the link; both
		// services are run by one of them.
		save(nil, []int64{f.Sofie.ID, zoe.ID})
		p = e.get("/w/sunrise")
		if got := filterOptions(p, "member"); !slices.Equal(got, []string{"Sofie", "Zoe"}) {
			t.Errorf("Sofie and Zoe link: members %v", got)
		}
		if got := filterOptions(p, "service"); !slices.Equal(got, []string{"Pilates", "Yoga"}) {
			t.Errorf("Sofie and Zoe link: services %v", got)
		}

		// Sofie alone: Pilates is run by no one on the link.
		save(nil, []int64{f.Sofie.ID})
		if p := e.get("/w/sunrise"); p.doc.Find(`.gb-filters`).Length() != 0 {
			t.Errorf("Sofie-only link shows filters: services %v, members %v", filterOptions(p, "service"), filterOptions(p, "member"))
		}
	})
}
