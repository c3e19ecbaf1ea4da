package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// manageBookingIDs lists the booking ids of a manage page, in page order.
func manageBookingIDs(p *page) []string {
	var ids []string
	p.doc.Find("li.gb-booking").Each(func(_ int, s *goqSel) {
		ids = append(ids, strings.TrimPrefix(s.AttrOr("id", ""), "booking-"))
	})
	return ids
}

// cancelVia cancels the i-th cancellable booking of a manage page the way a
// client does: the Change menu's Cancel link, then the confirmation page's
// form. It returns the form's answer and the booking's id.
func cancelVia(t *testing.T, e *widgetEnv, m *page, i int) (*page, string) {
	t.Helper()
	link := m.doc.Find("a[data-gb-cancel]").Eq(i)
	href, ok := link.Attr("href")
	if !ok {
		t.Fatalf("no Cancel entry %d on the manage page", i)
	}
	ask := e.get(href)
	if ask.code != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", href, ask.code, ask.body)
	}
	form := ask.doc.Find("form.gb-cancel")
	vals := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, s *goqSel) {
		vals.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	return e.post(form.AttrOr("action", ""), vals), vals.Get("booking")
}

// shortWhen is the English "Tue 8 Dec 18:00" of a time at the studio.
func shortWhen(e *widgetEnv, t time.Time) string {
	return t.In(e.f.Location.Zone()).Format("Mon 2 Jan 15:04")
}

// TestManageCancelConfirm: Cancel lives in each booking's Change menu and
// asks first ("Cancel Tue 8 Dec 18:00?"); a post without the confirmation
// only asks again; "Keep it" goes back; forged ids are 404s and a booking
// past the cutoff says until when cancelling was possible.
func TestManageCancelConfirm(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 2, 10) // cutoff on the link: 2 h
		manage := bookVia(t, e, "+36201234567", "2", evs[0], evs[1])
		other := bookVia(t, e, "+36301234567", "1", evs[1])

		// The success page leads with the bookings, their calendar links and
		// the manage link; no red buttons, a closed Change menu per booking.
		p := e.get(manage + "?new=1")
		if n := p.doc.Find(".gb-btn--danger, form.gb-cancel").Length(); n != 0 {
			t.Errorf("%d red cancel buttons on the success page", n)
		}
		if n := p.doc.Find("details[data-gb-change]:not([open])").Length(); n != 2 {
			t.Errorf("%d closed Change menus, want 2", n)
		}
		if n := p.doc.Find("details[data-gb-change] a[data-gb-cancel]").Length(); n != 2 {
			t.Errorf("%d Cancel entries in the Change menus, want 2", n)
		}
		if p.doc.Find(".gb-manage-link a").Length() != 1 || p.doc.Find(`.gb-booking a[href*="/ics/"]`).Length() != 2 {
			t.Error("the success page lacks the manage link or the calendar files")
		}
		ids := manageBookingIDs(p)

		// The confirmation page names the date and time; nothing is cancelled yet.
		ask := e.get(p.doc.Find("a[data-gb-cancel]").First().AttrOr("href", ""))
		want := "Cancel " + shortWhen(e, evs[0].StartsAt) + "?"
		if ask.code != http.StatusOK || ask.text("h1") != want {
			t.Fatalf("confirmation: %d %q, want %q", ask.code, ask.text("h1"), want)
		}
		if ask.doc.Find(`form.gb-cancel input[name=confirm][value="1"]`).Length() != 1 ||
			ask.doc.Find(`form.gb-cancel input[name=booking]`).AttrOr("value", "") != ids[0] {
			t.Error("the confirmation form lacks confirm=1 or the booking")
		}
		if keep := ask.doc.Find("a[data-gb-keep]").AttrOr("href", ""); !strings.HasPrefix(keep, manage) {
			t.Errorf("Keep it goes to %q", keep)
		} else if back := e.get(keep); back.code != http.StatusOK || back.doc.Find("li.gb-booking--cancelled").Length() != 0 {
			t.Errorf("Keep it: %d", back.code)
		}
		if e.taken(evs[0]) != 2 {
			t.Fatal("opening the confirmation cancelled")
		}
		// A post without confirm=1 (an old page's form, a replay) only asks.
		again := e.post(manage+"/cancel", url.Values{"booking": {ids[0]}})
		if again.code != http.StatusOK || again.text("h1") != want || e.taken(evs[0]) != 2 {
			t.Errorf("post without confirm: %d %q, %d seats", again.code, again.text("h1"), e.taken(evs[0]))
		}
		// Another group's booking, or garbage: 404 on both steps.
		otherID := manageBookingIDs(e.get(other))[0]
		for _, path := range []string{manage + "/cancel/" + otherID, manage + "/cancel/abc", manage + "/cancel/0"} {
			if r := e.get(path); r.code != http.StatusNotFound {
				t.Errorf("GET %s: %d", path, r.code)
			}
		}
		for _, id := range []string{otherID, "abc", ""} {
			for _, confirm := range []string{"", "1"} {
				if r := e.post(manage+"/cancel", url.Values{"booking": {id}, "confirm": {confirm}}); r.code != http.StatusNotFound {
					t.Errorf("post booking=%q confirm=%q: %d", id, confirm, r.code)
				}
			}
		}
		if e.taken(evs[1]) != 3 {
			t.Errorf("%d seats taken on the second event, want 3", e.taken(evs[1]))
		}

		// Confirmed: cancelled, back on the manage page.
		done, id := cancelVia(t, e, p, 0)
		if done.code != http.StatusSeeOther || id != ids[0] {
			t.Fatalf("confirmed cancel: %d (booking %s)", done.code, id)
		}
		after := e.get(done.hdr.Get("Location"))
		if after.text(".gb-alert--success") != "The booking was cancelled." || after.doc.Find("#booking-"+id+".gb-booking--cancelled").Length() != 1 {
			t.Errorf("after cancel: %q", after.text(".gb-alert--success"))
		}
		if after.doc.Find("#booking-"+id+" [data-gb-change]").Length() != 0 {
			t.Error("a cancelled booking still has a Change menu")
		}
		if e.taken(evs[0]) != 0 {
			t.Errorf("%d seats left taken", e.taken(evs[0]))
		}
		// Its confirmation page again: already cancelled, 409.
		if r := e.get(manage + "/cancel/" + id); r.code != http.StatusConflict {
			t.Errorf("confirmation of a cancelled booking: %d", r.code)
		}

		// Past the cutoff: no Cancel, a note saying until when it was
		// possible, and the confirmation page refuses with it.
		e.f.Now = evs[1].StartsAt.Add(-time.Hour)
		late := e.get(manage)
		li := late.doc.Find("#booking-" + ids[1])
		until := shortWhen(e, evs[1].StartsAt.Add(-2*time.Hour))
		if li.Find("a[data-gb-cancel]").Length() != 0 || !strings.Contains(li.Find("[data-gb-cancel-note]").Text(), "possible until "+until) {
			t.Errorf("past the cutoff: %q", strings.Join(strings.Fields(li.Text()), " "))
		}
		r := e.get(manage + "/cancel/" + ids[1])
		if r.code != http.StatusConflict || !strings.Contains(r.text(".gb-alert--error"), "too late") {
			t.Errorf("confirmation past the cutoff: %d %q", r.code, r.text(".gb-alert--error"))
		}
		if e.taken(evs[1]) != 3 {
			t.Error("a refused cancel freed seats")
		}
		// Other languages ask in their own words.
		e.f.Now = booktest.Now
		ru := e.get(manage + "/cancel/" + ids[1] + "?lang=ru")
		if !strings.HasPrefix(ru.text("h1"), "Отменить запись на ") || ru.text("[data-gb-keep]") != "Нет, оставить" {
			t.Errorf("ru: %q %q", ru.text("h1"), ru.text("[data-gb-keep]"))
		}
		if ru.doc.Find(`form.gb-cancel input[name=lang][value=ru]`).Length() != 1 {
			t.Error("the ru confirmation form does not keep the language")
		}
	})
}
