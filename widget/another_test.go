package widget_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
	"groupbook/widget"
)

// Book another reads a bounded number of candidates whatever the class's
// schedule: "View all dates" shows at most 60 (the next 60 dates, in
// order), and the weekday filter picks from those same 60, so its chips
// always match what the filter can show.
func TestBookAnotherIsBounded(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		ctx := context.Background()
		// Yoga with Sofie twice a day for 40 days: 80 dates.
		day := time.Date(2026, 3, 3, 7, 0, 0, 0, time.UTC)
		first := f.Event(t, f.Yoga, f.Sofie, day, 10)
		for d := 0; d < 40; d++ {
			if d > 0 {
				f.Event(t, f.Yoga, f.Sofie, day.AddDate(0, 0, d), 10)
			}
			f.Event(t, f.Yoga, f.Sofie, day.AddDate(0, 0, d).Add(10*time.Hour), 10)
		}
		flow := widget.NewFlow(f.Store, widget.NewSigner("0123456789abcdef0123456789abcdef"))
		all, err := flow.LoadEventPage(ctx, f.Link, widget.SelectionInput{EventID: first.ID, All: true})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(all.Another.Items); n != 60 {
			t.Fatalf("View all dates shows %d, want the next 60", n)
		}
		if last := all.Another.Items[59].Event.StartsAt; !last.Equal(day.AddDate(0, 0, 30)) {
			t.Errorf("the 60th date is %v, want the next 60 in order", last)
		}
		zone, _ := time.LoadLocation("Europe/Budapest")
		tue, err := flow.LoadEventPage(ctx, f.Link, widget.SelectionInput{EventID: first.ID, Weekday: "2"})
		if err != nil {
			t.Fatal(err)
		}
		// The 60 candidates span 30 days: four or five Tuesdays, twice each.
		if n := len(tue.Another.Items); n < 8 || n > 10 {
			t.Errorf("Tuesday filter shows %d dates", n)
		}
		for _, it := range tue.Another.Items {
			if wd := it.Event.StartsAt.In(zone).Weekday(); wd != time.Tuesday {
				t.Errorf("Tuesday filter shows a %v", wd)
			}
		}
	})
}
