package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestWidgetHappyPath books three events with two seats through every step,
// as a client without JavaScript would (plain GETs and a POST), and then
// cancels one from the manage page.
func TestWidgetHappyPath(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 4, 10)

		list := e.get("/w/sunrise?utm_source=instagram&utm_medium=bio&utm_campaign=spring")
		if list.code != http.StatusOK {
			t.Fatalf("list: %d\n%s", list.code, list.body)
		}
		if n := list.doc.Find(".gb-event").Length(); n != 4 {
			t.Fatalf("%d events listed, want 4", n)
		}
		href, _ := list.doc.Find("a.gb-event").First().Attr("href")
		if !strings.Contains(href, "/w/sunrise/e/") || !strings.Contains(href, "utm_source=instagram") {
			t.Fatalf("event link %q does not keep the UTM parameters", href)
		}
		ev := e.get(href)
		if ev.code != http.StatusOK {
			t.Fatalf("event page: %d\n%s", ev.code, ev.body)
		}
		if n := ev.doc.Find(`input[name=also]`).Length(); n != 3 {
			t.Errorf("%d Book another dates, want 3", n)
		}
		ct := e.contactFormWith(url.Values{"utm_source": {"instagram"}, "utm_medium": {"bio"}, "utm_campaign": {"spring"}}, evs[0], "2", evs[1], evs[2])
		if ct.code != http.StatusOK {
			t.Fatalf("contact: %d\n%s", ct.code, ct.body)
		}
		token := ct.hidden("s")
		if token == "" {
			t.Fatal("no signed selection on the contact form")
		}
		if ct.hidden("utm_source") != "instagram" {
			t.Error("the contact form does not carry the UTM parameters")
		}
		form := contact(token)
		done := e.post("/w/sunrise/book", form)
		if done.code != http.StatusSeeOther {
			t.Fatalf("book: %d\n%s", done.code, done.body)
		}
		loc := done.hdr.Get("Location")
		if !strings.HasPrefix(loc, "/m/") {
			t.Fatalf("redirect to %q", loc)
		}
		for _, x := range evs[:3] {
			if got := e.taken(x); got != 2 {
				t.Errorf("event %d: %d seats taken, want 2", x.ID, got)
			}
		}
		var bs []booking.Booking
		if err := db.NewSelect().Model(&bs).Order("id").Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(bs) != 3 || bs[0].UTM.Source != "instagram" || bs[0].UTM.Campaign != "spring" || bs[0].Source != booking.SourceWidget {
			t.Fatalf("bookings %+v", bs)
		}
		// A second submit of the same form (double click, back button) books nothing new.
		again := e.post("/w/sunrise/book", form)
		if again.code != http.StatusSeeOther || again.hdr.Get("Location") != loc || e.bookings() != 3 {
			t.Fatalf("resubmit: %d to %q, %d bookings", again.code, again.hdr.Get("Location"), e.bookings())
		}

		m := e.get(loc)
		if m.code != http.StatusOK {
			t.Fatalf("manage: %d\n%s", m.code, m.body)
		}
		if n := m.doc.Find(".gb-booking").Length(); n != 3 {
			t.Fatalf("%d bookings on the confirmation page, want 3", n)
		}
		if n := m.doc.Find(`.gb-booking a[href*="calendar.google.com"]`).Length(); n != 3 {
			t.Errorf("%d Google Calendar links, want 3", n)
		}
		if n := m.doc.Find(`.gb-booking a[href*="/ics/"]`).Length(); n != 3 {
			t.Errorf("%d .ics links, want 3", n)
		}
		if m.doc.Find(`a[href$="/ics"], a[href*="/ics?"]`).Length() != 1 {
			t.Error("no .ics link with every booking")
		}
		if n := m.doc.Find("a[data-gb-cancel]").Length(); n != 3 {
			t.Fatalf("%d Cancel entries, want 3", n)
		}
		cancelled, _ := cancelVia(t, e, m, 0)
		if cancelled.code != http.StatusSeeOther {
			t.Fatalf("cancel: %d\n%s", cancelled.code, cancelled.body)
		}
		if e.taken(evs[0]) != 0 {
			t.Error("cancel did not free the seats at once")
		}
		after := e.get(cancelled.hdr.Get("Location"))
		if after.doc.Find(".gb-booking--cancelled").Length() != 1 || after.doc.Find("a[data-gb-cancel]").Length() != 2 {
			t.Error("manage page does not show the cancellation")
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatal(bad)
		}
	})
}
