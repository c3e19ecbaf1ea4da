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

// BenchmarkBookableEvents measures the widget's event queries on a location
// with 200 and with 50,000 upcoming events, on both databases: the list's
// first page, a page filtered by service, a "Show more" page near the end
// (keyset: after the event 30 from the end) and the Book another
// candidates (same service and team member, at most 60). 80 % of the events
// belong to a third service and member, so the filters select a small
// share. None of these may cost more at 50,000 than at 200.
func BenchmarkBookableEvents(b *testing.B) {
	for _, kind := range []string{booktest.SQLite, booktest.Postgres} {
		for _, n := range []int{200, 50000} {
			b.Run(fmt.Sprintf("%s/events=%d", kind, n), func(b *testing.B) {
				db := booktest.Open(b, kind)
				f := booktest.Seed(b, db)
				ctx := context.Background()
				seedBenchEvents(b, db, f, n)
				if err := f.Store.Optimize(ctx); err != nil {
					b.Fatal(err)
				}
				var all []booking.Event
				if err := db.NewSelect().Model(&all).Where("location_id = ?", f.Location.ID).
					Order("starts_at", "id").Scan(ctx); err != nil {
					b.Fatal(err)
				}
				deep := all[len(all)-30]
				var first booking.Event
				for _, e := range all {
					if e.ServiceID == f.Yoga.ID {
						first = e
						break
					}
				}
				cases := []struct {
					name string
					f    booking.BookableFilter
				}{
					{"list", booking.BookableFilter{Limit: 21}},
					{"list_service", booking.BookableFilter{ServiceID: f.Yoga.ID, Limit: 21}},
					{"list_deep_page", booking.BookableFilter{Limit: 21, After: deep.Key()}},
					{"book_another", booking.BookableFilter{ServiceID: first.ServiceID, TeamMemberID: first.TeamMemberID, ExcludeIDs: []int64{first.ID}, Limit: 60}},
				}
				for _, c := range cases {
					b.Run(c.name, func(b *testing.B) {
						b.ReportAllocs()
						for b.Loop() {
							evs, err := f.Store.BookableEvents(ctx, f.Link, c.f)
							if err != nil || len(evs) == 0 {
								b.Fatal(len(evs), err)
							}
						}
					})
				}
			})
		}
	}
}

// seedBenchEvents inserts n upcoming events every 30 minutes in batches:
// Yoga with Sofie, Pilates with Márton, then eight of a third service with
// a third member.
func seedBenchEvents(b *testing.B, db *bun.DB, f *booktest.Fixture, n int) {
	b.Helper()
	ctx := context.Background()
	spin, err := f.Store.CreateService(ctx, f.Location.ID, booking.ServiceInput{
		Name: "Spin", DurationMin: 45, DefaultCapacity: 12, Currency: "HUF", OnlineBooking: true,
	})
	if err != nil {
		b.Fatal(err)
	}
	kata, err := f.Store.CreateTeamMember(ctx, f.Location.ID, booking.TeamMemberInput{Name: "Kata", ServiceIDs: []int64{spin.ID}})
	if err != nil {
		b.Fatal(err)
	}
	start := f.Now.Add(3 * time.Hour)
	for done := 0; done < n; {
		batch := make([]booking.Event, 0, min(2000, n-done))
		for len(batch) < cap(batch) {
			i := done + len(batch)
			svc, member := spin.ID, kata.ID
			switch i % 10 {
			case 0:
				svc, member = f.Yoga.ID, f.Sofie.ID
			case 1:
				svc, member = f.Pilates.ID, f.Marton.ID
			}
			batch = append(batch, booking.Event{
				LocationID: f.Location.ID, ServiceID: svc, TeamMemberID: member,
				StartsAt: start.Add(time.Duration(i) * 30 * time.Minute), DurationMin: 60, Capacity: 10, CreatedAt: f.Now,
			})
		}
		if _, err := db.NewInsert().Model(&batch).Exec(ctx); err != nil {
			b.Fatal(err)
		}
		done += len(batch)
	}
	if db.Dialect().Name().String() == "pg" {
		if _, err := db.ExecContext(ctx, "ANALYZE events"); err != nil {
			b.Fatal(err)
		}
	}
}
