package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// tueThuYoga creates Sofie's Tuesday and Thursday 18:00 Yoga for six weeks
// (12 events) and returns them in order.
func tueThuYoga(t *testing.T, e *widgetEnv, capacity int) []booking.Event {
	t.Helper()
	_, evs, err := e.f.Store.CreateSeries(context.Background(), e.f.Location.ID, booking.SeriesInput{
		ServiceID: e.f.Yoga.ID, TeamMemberID: e.f.Sofie.ID, Weekdays: booking.WeekdaySet(time.Tuesday, time.Thursday),
		StartTime: "18:00", From: "2026-03-03", Until: "2026-04-09", Capacity: &capacity,
	})
	if err != nil || len(evs) != 12 {
		t.Fatalf("series: %v, %d events", err, len(evs))
	}
	return evs
}

func widgetEventURL(ev booking.Event, q string) string {
	u := "/w/sunrise/e/" + itoa64(ev.ID)
	if q != "" {
		u += "?" + q
	}
	return u
}

func TestBookAnotherBlock(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		evs := tueThuYoga(t, e, 10)
		pil := e.f.Event(t, e.f.Pilates, e.f.Marton, evs[1].StartsAt.Add(time.Hour), 8)

		p := e.get(widgetEventURL(evs[0], ""))
		if p.code != 200 {
			t.Fatalf("%d\n%s", p.code, p.body)
		}
		boxes := p.doc.Find(`input[name=also]`)
		if boxes.Length() != 3 {
			t.Fatalf("%d dates shown before View all, want 3", boxes.Length())
		}
		if v, _ := boxes.First().Attr("value"); v != itoa64(evs[1].ID) {
			t.Errorf("first other date is %s, want the next Thursday %d", v, evs[1].ID)
		}
		if strings.Contains(p.body, "value=\""+itoa64(pil.ID)+"\"") {
			t.Error("a Pilates event is offered under Yoga with Sofie")
		}
		if p.doc.Find(`button[name=all][value="1"]`).Length() != 1 {
			t.Error("no View all dates button")
		}
		chips := p.doc.Find(".gb-chip")
		if chips.Length() != 2 || strings.TrimSpace(chips.First().Text()) != "Tue" {
			t.Errorf("weekday chips: %d, first %q", chips.Length(), chips.First().Text())
		}
		if max, _ := p.doc.Find(`[data-gb-max-extra]`).Attr("data-gb-max-extra"); max != "9" {
			t.Errorf("max extra %q, want 9 (link allows 10 events)", max)
		}

		all := e.get(widgetEventURL(evs[0], "all=1"))
		if n := all.doc.Find(`input[name=also]`).Length(); n != 11 {
			t.Errorf("View all dates shows %d, want 11", n)
		}
		// Tuesdays only (2); the chip is pressed; pressing it again clears.
		tue := e.get(widgetEventURL(evs[0], "wd=2"))
		n := tue.doc.Find(`input[name=also]`).Length()
		if n != 5 {
			t.Errorf("Tuesday filter shows %d dates, want the 5 other Tuesdays", n)
		}
		pressed := tue.doc.Find(`.gb-chip[aria-pressed=true]`)
		if pressed.Length() != 1 || strings.TrimSpace(pressed.Text()) != "Tue" {
			t.Error("the Tuesday chip is not shown as pressed")
		}
		if v, _ := pressed.Attr("value"); v != "" {
			t.Errorf("pressing the active chip again should clear the filter, sends wd=%q", v)
		}
		// A ticked Thursday stays visible (and submitted) under the Tuesday filter.
		kept := e.get(widgetEventURL(evs[0], "wd=2&also="+itoa64(evs[1].ID)))
		if kept.doc.Find(`input[name=also][value="`+itoa64(evs[1].ID)+`"][checked]`).Length() != 1 {
			t.Error("a ticked date disappeared under the weekday filter")
		}
		// Tampered ids (another service, nonsense) are not shown as ticked.
		tampered := e.get(widgetEventURL(evs[0], "also="+itoa64(pil.ID)+"&also=abc&also=-3"))
		if tampered.code != 200 || tampered.doc.Find(`input[name=also][checked]`).Length() != 0 {
			t.Errorf("tampered selection: %d, %d ticked", tampered.code, tampered.doc.Find(`input[name=also][checked]`).Length())
		}
	})
}

func TestBookAnotherLimitAndSeats(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		evs := tueThuYoga(t, e, 10)
		link := *e.f.Link
		link.MaxEvents, link.MaxSeats = 3, 4
		if err := e.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		// Two others ticked: the limit of 3 is reached, the rest disable.
		p := e.get(widgetEventURL(evs[0], "all=1&also="+itoa64(evs[1].ID)+"&also="+itoa64(evs[2].ID)))
		if n := p.doc.Find(`input[name=also]:not([disabled])`).Length(); n != 2 {
			t.Errorf("%d boxes enabled at the limit, want only the 2 ticked", n)
		}
		// Only 2 seats left in a ticked event bounds the stepper.
		if _, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: e.f.Location.ID, EventIDs: []int64{evs[1].ID}, Seats: 8, Client: booktest.Client(9)}); err != nil {
			t.Fatal(err)
		}
		p = e.get(widgetEventURL(evs[0], "seats=4&also="+itoa64(evs[1].ID)))
		seats := p.doc.Find(`input[name=seats]`)
		if max, _ := seats.Attr("max"); max != "2" {
			t.Errorf("stepper max %q, want 2 (seats left in a ticked date)", max)
		}
		if v, _ := seats.Attr("value"); v != "2" {
			t.Errorf("stepper value %q, want clamped to 2", v)
		}
		if lm, _ := seats.Attr("data-gb-link-max"); lm != "4" {
			t.Errorf("link max %q", lm)
		}
		// The server refuses more events than allowed even if the page was bypassed.
		over := e.contactForm(&evs[0], "1", &evs[1], &evs[2], &evs[3])
		if over.code != http.StatusUnprocessableEntity || !strings.Contains(over.text(".gb-alert--error"), "at most 3") {
			t.Errorf("4 events with a limit of 3: %d %q", over.code, over.text(".gb-alert--error"))
		}
		if e.bookings() != 1 {
			t.Error("a refused selection wrote bookings")
		}
	})
}

func TestBookAnotherHiddenBySettings(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		evs := tueThuYoga(t, e, 10)
		for name, edit := range map[string]func(*booking.Link){
			"multiple events off": func(l *booking.Link) { l.MultiEvent = false },
		} {
			link := *e.f.Link
			edit(&link)
			if err := e.f.Store.SaveLink(ctx, &link); err != nil {
				t.Fatal(err)
			}
			p := e.get(widgetEventURL(evs[0], ""))
			if p.doc.Find(".gb-another").Length() != 0 {
				t.Errorf("%s: Book another shown", name)
			}
			if p.doc.Find(`form[action="/w/sunrise/contact"]`).Length() != 1 {
				t.Errorf("%s: no Continue form", name)
			}
			two := e.contactForm(&evs[0], "1", &evs[1])
			if two.code != http.StatusUnprocessableEntity {
				t.Errorf("%s: two events accepted (%d)", name, two.code)
			}
		}
		// One seat only: no stepper, and 2 seats are refused.
		link := *e.f.Link
		link.MultiSeat = false
		if err := e.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		p := e.get(widgetEventURL(evs[0], ""))
		if p.doc.Find(".gb-stepper").Length() != 0 {
			t.Error("seat stepper shown with several seats off")
		}
		if r := e.contactForm(&evs[0], "2"); r.code != http.StatusUnprocessableEntity {
			t.Errorf("2 seats accepted with several seats off: %d", r.code)
		}
	})
}

func TestEventPageBufferAndUnknown(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		soon := e.f.Event(t, e.f.Yoga, e.f.Sofie, e.f.Now.Add(90*time.Minute), 10)
		link := *e.f.Link
		link.BufferMin = 120
		if err := e.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		list := e.get("/w/sunrise")
		if list.doc.Find(".gb-event").Length() != 0 {
			t.Error("an event inside the buffer time is listed")
		}
		p := e.get(widgetEventURL(*soon, ""))
		if p.code != 200 || !strings.Contains(p.text(".gb-alert--error"), "closed") || p.doc.Find(`form[action$="/contact"]`).Length() != 0 {
			t.Errorf("event inside the buffer: %d, alert %q", p.code, p.text(".gb-alert--error"))
		}
		if r := e.contactForm(soon, "1"); r.code != http.StatusUnprocessableEntity {
			t.Errorf("continue inside the buffer: %d", r.code)
		}
		for _, path := range []string{"/w/sunrise/e/99999", "/w/sunrise/e/abc", "/w/nope", "/w/nope/e/1"} {
			if r := e.get(path); r.code != http.StatusNotFound || r.doc.Find("h1").Length() != 1 {
				t.Errorf("%s: %d, want a friendly 404", path, r.code)
			}
		}
		link.Enabled = false
		if err := e.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		if r := e.get("/w/sunrise"); r.code != http.StatusNotFound {
			t.Errorf("disabled link: %d", r.code)
		}
	})
}

func TestListPagingAndFilters(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		e.flow.PageSize = 3
		// Two events a day for four days: pages break inside a day.
		for d := 0; d < 4; d++ {
			day := time.Date(2026, 3, 3+d, 7, 0, 0, 0, time.UTC)
			e.f.Event(t, e.f.Yoga, e.f.Sofie, day, 10)
			e.f.Event(t, e.f.Pilates, e.f.Marton, day.Add(4*time.Hour), 8)
		}
		first := e.get("/w/sunrise")
		if n := first.doc.Find(".gb-event").Length(); n != 3 {
			t.Fatalf("first page: %d events", n)
		}
		more := first.doc.Find("a.gb-more")
		href := more.AttrOr("href", "")
		if href == "" || more.AttrOr("hx-get", "") != href || more.AttrOr("hx-swap", "") != "outerHTML" {
			t.Fatalf("Show more link %q, hx-get %q", href, more.AttrOr("hx-get", ""))
		}
		// htmx gets only the next days and the next Show more; the day that
		// continues from the first page does not repeat its heading.
		next := e.get(href, "HX-Request", "true")
		if strings.Contains(next.body, "<h1") || next.doc.Find(".gb-event").Length() != 3 {
			t.Fatalf("next page fragment: %s", next.body)
		}
		if headings := next.doc.Find(".gb-day h2").Length(); headings != 1 {
			t.Errorf("%d day headings on page 2, want 1 (the second day continues)", headings)
		}
		// Without JavaScript the same link is a full page.
		if full := e.get(href); !strings.Contains(full.body, "<html") {
			t.Error("Show more without htmx is not a full page")
		}
		last := e.get(next.doc.Find("a.gb-more").AttrOr("href", ""), "HX-Request", "true")
		if last.doc.Find(".gb-event").Length() != 2 || last.doc.Find("a.gb-more").Length() != 0 || strings.Contains(last.body, "<h1") {
			t.Errorf("last page: %d events, more link %d, heading %v", last.doc.Find(".gb-event").Length(),
				last.doc.Find("a.gb-more").Length(), strings.Contains(last.body, "<h1"))
		}
		// The link carries the last event shown (its start and id), not a
		// position: an event added before it does not shift the next page.
		if !strings.Contains(href, "after=") || strings.Contains(href, "offset=") {
			t.Errorf("Show more link %q is not keyset", href)
		}
		early := e.f.Event(t, e.f.Yoga, e.f.Sofie, time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC), 10)
		if again := e.get(href, "HX-Request", "true"); again.text(".gb-day") != next.text(".gb-day") {
			t.Errorf("an earlier event (%d) shifted page 2: %q, was %q", early.ID, again.text(".gb-day"), next.text(".gb-day"))
		}
		if _, err := e.f.Store.DeleteEvent(context.Background(), early.ID); err != nil {
			t.Fatal(err)
		}
		// An old position link goes to the first page, keeping the filters
		// and the carried parameters, without reading anything.
		old := e.get("/w/sunrise?offset=50000&prevday=2026-03-03&service=" + itoa64(e.f.Yoga.ID) + "&lang=hu")
		if loc := old.hdr.Get("Location"); old.code != http.StatusFound || loc != "/w/sunrise?lang=hu&service="+itoa64(e.f.Yoga.ID) {
			t.Errorf("old offset link: %d to %q", old.code, loc)
		}
		// A malformed key is the first page, never an error.
		for _, bad := range []string{"x", "1.", ".5", "-1.5", "1.-5", "1.0", "99999999999999.1", "1.2.3", "1e3.4", strings.Repeat("9", 60) + ".1"} {
			if r := e.get("/w/sunrise?after=" + bad); r.code != 200 || r.doc.Find("h1").Length() != 1 || r.doc.Find(".gb-event").Length() != 3 {
				t.Errorf("after=%s: %d, %d events", bad, r.code, r.doc.Find(".gb-event").Length())
			}
		}
		// Filters: by service, by team member.
		e.flow.PageSize = 20
		pil := e.get("/w/sunrise?service=" + itoa64(e.f.Pilates.ID))
		if pil.doc.Find(".gb-event").Length() != 4 || strings.Contains(pil.text(".gb-events"), "Yoga") {
			t.Errorf("service filter: %q", pil.text(".gb-events"))
		}
		if sel := pil.doc.Find(`select[name=service] option[selected]`).AttrOr("value", ""); sel != itoa64(e.f.Pilates.ID) {
			t.Errorf("selected service %q", sel)
		}
		if n := e.get("/w/sunrise?member=" + itoa64(e.f.Sofie.ID)).doc.Find(".gb-event").Length(); n != 4 {
			t.Errorf("member filter: %d", n)
		}
		if r := e.get("/w/sunrise?service=abc&member=-1&offset=-5"); r.code != 200 || r.doc.Find(".gb-event").Length() != 8 {
			t.Errorf("nonsense filters: %d, %d events", r.code, r.doc.Find(".gb-event").Length())
		}
		// A link for one service shows no filter for it.
		one := *e.f.Link
		one.ServiceIDs, one.TeamMemberIDs = []int64{e.f.Yoga.ID}, []int64{e.f.Sofie.ID}
		if err := e.f.Store.SaveLink(context.Background(), &one); err != nil {
			t.Fatal(err)
		}
		if r := e.get("/w/sunrise"); r.doc.Find(".gb-filters").Length() != 0 || r.doc.Find(".gb-event").Length() != 4 {
			t.Error("a one-service link shows filters or other services")
		}
	})
}

func TestContactFieldsHiddenAndOptional(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 1, 10)
		link := *e.f.Link
		link.EmailMode, link.CommentMode = booking.FieldHidden, booking.FieldHidden
		if err := e.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		ct := e.contactForm(evs[0], "1")
		if ct.doc.Find("#gb-email").Length() != 0 || ct.doc.Find("#gb-comment").Length() != 0 {
			t.Error("hidden email or comment field shown")
		}
		if ct.doc.Find("#gb-last_name[required]").Length() != 0 {
			t.Error("last name required though the link does not ask for it")
		}
		form := contact(ct.hidden("s"))
		form.Set("email", "sneaky@example.com")
		form.Set("comment", "not asked for")
		form.Set("last_name", "")
		if r := e.post("/w/sunrise/book", form); r.code != http.StatusSeeOther {
			t.Fatalf("book: %d\n%s", r.code, r.body)
		}
		var b booking.Booking
		if err := db.NewSelect().Model(&b).Limit(1).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		cl, _ := e.f.Store.Client(ctx, b.ClientID)
		if b.Comment != "" || cl.Email != "" || cl.Phone != "+36201234567" {
			t.Errorf("stored comment %q, email %q, phone %q", b.Comment, cl.Email, cl.Phone)
		}
	})
}
