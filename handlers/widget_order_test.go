package handlers

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestSelectionInDateOrder: the contact step's summary and the confirmation
// list the selected events in date order, whichever was opened and
// whichever was created first. The events are made out of order on
// purpose: the latest first (lowest id), and the client opens the middle
// one, so neither the selection's order (opened first) nor the id order
// (how bookings are created) is the date order.
func TestSelectionInDateOrder(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		day := e.f.Now.Truncate(24 * time.Hour).Add(18 * time.Hour)
		late := e.f.Event(t, e.f.Yoga, e.f.Sofie, day.AddDate(0, 0, 5), 10)
		early := e.f.Event(t, e.f.Yoga, e.f.Sofie, day.AddDate(0, 0, 2), 10)
		middle := e.f.Event(t, e.f.Yoga, e.f.Sofie, day.AddDate(0, 0, 3), 10)
		want := []string{whenLine(e, early), whenLine(e, middle), whenLine(e, late)}

		ct := e.contactForm(middle, "1", late, early)
		if ct.code != 200 {
			t.Fatalf("contact: %d\n%s", ct.code, ct.body)
		}
		var got []string
		ct.doc.Find(".gb-summary li").Each(func(_ int, s *goqSel) { got = append(got, strings.TrimSpace(s.Text())) })
		if !slices.Equal(got, want) {
			t.Errorf("contact summary lists %q, want date order %q", got, want)
		}

		done := e.post("/w/sunrise/book", contact(ct.hidden("s")))
		if done.code != 303 {
			t.Fatalf("book: %d\n%s", done.code, done.body)
		}
		m := e.get(done.hdr.Get("Location"))
		got = nil
		m.doc.Find(".gb-booking__when strong").Each(func(_ int, s *goqSel) { got = append(got, s.Text()) })
		var wantDates []string
		for _, w := range want {
			wantDates = append(wantDates, w[:strings.LastIndex(w, ", ")])
		}
		if !slices.Equal(got, wantDates) {
			t.Errorf("confirmation lists %q, want date order %q", got, wantDates)
		}
	})
}

// whenLine is how the contact summary names an event in English.
func whenLine(e *widgetEnv, ev *booking.Event) string {
	zone, err := time.LoadLocation(e.f.Location.TimeZone)
	if err != nil {
		e.t.Fatal(err)
	}
	lt := ev.StartsAt.In(zone)
	return lt.Format("Monday, 2 January") + ", " + lt.Format("15:04")
}
