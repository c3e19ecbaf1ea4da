package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/locales"
)

// schedEnglish renders a message as the English pages show it.
func schedEnglish(t *testing.T, id string, count ...int) string {
	t.Helper()
	b, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := b.Localizer("en")
	if len(count) > 0 {
		return l.N(id, count[0])
	}
	return l.T(id)
}

// schedAt creates an event at a Budapest wall-clock time.
func schedAt(e *adminEnv, svc *booking.Service, m *booking.TeamMember, y int, mo time.Month, d, h, min, capacity int) *booking.Event {
	e.t.Helper()
	return e.f.Event(e.t, svc, m, time.Date(y, mo, d, h, min, 0, 0, e.f.Location.Zone()), capacity)
}

// schedBook books seats in ev for client n, as staff would.
func schedBook(e *adminEnv, n, seats int, ev *booking.Event) {
	e.t.Helper()
	_, err := e.f.Store.Reserve(context.Background(), booking.ReserveRequest{
		LocationID: e.f.Location.ID, EventIDs: []int64{ev.ID}, Seats: seats, Client: booktest.Client(n), Lang: "en",
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

func schedLoad(e *adminEnv, id int64) *booking.Event {
	e.t.Helper()
	ev, err := e.f.Store.Event(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return ev
}

func schedEventCount(e *adminEnv) int {
	e.t.Helper()
	n, err := e.db.NewSelect().Model((*booking.Event)(nil)).Count(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return int(n)
}

// weekCell selects the week view's cell of a member and a local day.
func weekCell(m *booking.TeamMember, date string) string {
	return `tr[data-member="` + itoa64(m.ID) + `"] td[data-date="` + date + `"]`
}

func evSel(ev *booking.Event) string { return `[data-event="` + itoa64(ev.ID) + `"]` }

// TestAdminScheduleViews: the week of 23–29 March 2026 ends on the
// spring-forward Sunday; each event sits in its member's row and the
// column of its local day, with seats taken / capacity.
func TestAdminScheduleViews(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		f := e.f
		monEarly := schedAt(e, f.Yoga, f.Sofie, 2026, 3, 23, 0, 15, 10) // Sunday 23:15 in UTC
		sat := schedAt(e, f.Yoga, f.Sofie, 2026, 3, 28, 18, 0, 10)
		sunLate := schedAt(e, f.Yoga, f.Sofie, 2026, 3, 29, 23, 30, 10) // after the change
		sunPilates := schedAt(e, f.Pilates, f.Marton, 2026, 3, 29, 18, 0, 8)
		nextMon := schedAt(e, f.Yoga, f.Sofie, 2026, 3, 30, 0, 30, 10) // Sunday 22:30 in UTC
		schedBook(e, 1, 3, sat)
		c := e.signIn(ownerEmail)

		week := c.get("/admin/schedule?view=week&date=2026-03-26")
		if week.code != http.StatusOK {
			t.Fatalf("week: %d\n%s", week.code, week.body)
		}
		for _, tc := range []struct {
			m    *booking.TeamMember
			date string
			ev   *booking.Event
		}{
			{f.Sofie, "2026-03-23", monEarly}, {f.Sofie, "2026-03-28", sat},
			{f.Sofie, "2026-03-29", sunLate}, {f.Marton, "2026-03-29", sunPilates},
		} {
			if week.doc.Find(weekCell(tc.m, tc.date)+" "+evSel(tc.ev)).Length() != 1 {
				t.Errorf("event %d not in %s's column of %s", tc.ev.ID, tc.m.Name, tc.date)
			}
		}
		if n := week.doc.Find(".ga-sched-week [data-event]").Length(); n != 4 {
			t.Errorf("%d events in the week, want 4", n)
		}
		if week.doc.Find(evSel(nextMon)).Length() != 0 {
			t.Error("Monday 30 March 00:30 shown in the week before")
		}
		if got := week.text(evSel(sat) + " .ga-sched-ev__seats [aria-hidden]"); got != "3/10" {
			t.Errorf("seats of Saturday: %q, want 3/10", got)
		}
		if got := week.text(evSel(sunLate) + " .ga-sched-ev__time"); !strings.HasPrefix(got, "23:30") {
			t.Errorf("Sunday late at %q, want 23:30 local", got)
		}
		if href := week.doc.Find(evSel(sat)+" a.ga-sched-ev__main").AttrOr("href", ""); href != "/admin/events/"+itoa64(sat.ID) {
			t.Errorf("event links to %q", href)
		}
		if fill := week.doc.Find(evSel(sat)+" .ga-sched-swatch rect").AttrOr("fill", ""); fill != f.Yoga.Color {
			t.Errorf("swatch %q, want the service colour %s", fill, f.Yoga.Color)
		}
		if week.doc.Find("[style]").Length() != 0 {
			t.Error("a style attribute: the CSP forbids them")
		}
		if got := week.text("h1"); got != "Mon 23 Mar – Sun 29 Mar, 2026" {
			t.Errorf("week heading %q", got)
		}
		if href := week.doc.Find(`a[rel=next]`).AttrOr("href", ""); href != "/admin/schedule?date=2026-03-30&view=week" {
			t.Errorf("next week link %q", href)
		}

		next := c.get("/admin/schedule?view=week&date=2026-03-30")
		if next.doc.Find(weekCell(f.Sofie, "2026-03-30")+" "+evSel(nextMon)).Length() != 1 {
			t.Error("Monday 00:30 not on Monday of its week")
		}

		day := c.get("/admin/schedule?date=2026-03-29")
		sofie := `section[data-member="` + itoa64(f.Sofie.ID) + `"]`
		marton := `section[data-member="` + itoa64(f.Marton.ID) + `"]`
		if day.doc.Find(sofie+" "+evSel(sunLate)).Length() != 1 || day.doc.Find(marton+" "+evSel(sunPilates)).Length() != 1 {
			t.Errorf("day view of 29 March:\n%s", day.body)
		}
		if day.doc.Find("[data-event]").Length() != 2 {
			t.Errorf("%d events on 29 March, want 2", day.doc.Find("[data-event]").Length())
		}
		if got := day.text("h1"); got != "Sunday, 29 March, 2026" {
			t.Errorf("day heading %q", got)
		}
		if day.doc.Find(sofie+" a[href='"+schedEventPath(sunLate.ID, "edit")+"']").Length() != 1 {
			t.Error("no edit link in the day view")
		}

		// Today by default, in the studio's zone (the clock is 2 March).
		if got := c.get("/admin/schedule").text("h1"); got != "Monday, 2 March, 2026" {
			t.Errorf("default day %q", got)
		}

		// Filters: by service, by team member; a GET form that works without JS.
		pil := c.get("/admin/schedule?view=week&date=2026-03-26&service=" + itoa64(f.Pilates.ID))
		if pil.doc.Find("tbody tr").Length() != 1 || pil.doc.Find(evSel(sunPilates)).Length() != 1 || pil.doc.Find("[data-event]").Length() != 1 {
			t.Errorf("Pilates filter:\n%s", pil.text("tbody"))
		}
		if pil.doc.Find(`select[name=service] option[selected]`).AttrOr("value", "") != itoa64(f.Pilates.ID) {
			t.Error("the service filter is not kept")
		}
		if href := pil.doc.Find(`a[rel=prev]`).AttrOr("href", ""); !strings.Contains(href, "service="+itoa64(f.Pilates.ID)) {
			t.Errorf("navigation drops the filter: %q", href)
		}
		so := c.get("/admin/schedule?view=week&date=2026-03-26&member=" + itoa64(f.Sofie.ID))
		if so.doc.Find("tbody tr").Length() != 1 || so.doc.Find("[data-event]").Length() != 3 {
			t.Errorf("Sofie filter: %d rows, %d events", so.doc.Find("tbody tr").Length(), so.doc.Find("[data-event]").Length())
		}
		form := week.doc.Find("form.ga-sched-filters")
		if form.AttrOr("method", "") != "get" || form.Find("select[name=member]").Length() != 1 || form.Find("select[name=service]").Length() != 1 {
			t.Error("no GET filter form")
		}

		// htmx gets the fragment, alerts included, never the whole page.
		frag := c.get("/admin/schedule?view=week&date=2026-03-26", "HX-Request", "true")
		if frag.code != 200 || strings.Contains(frag.body, "<html") || frag.doc.Find(evSel(sat)).Length() != 1 {
			t.Errorf("htmx fragment: %d\n%s", frag.code, frag.body)
		}
		if !strings.Contains(frag.hdr.Get("Vary"), "HX-Request") {
			t.Error("no Vary: HX-Request")
		}
	})
}

// TestAdminScheduleCreate: one event, then a Tuesday/Thursday series that
// crosses the DST change, both seen in the schedule.
func TestAdminScheduleCreate(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		f := e.f
		c := e.signIn(ownerEmail)

		form := c.get("/admin/schedule/new?date=2026-03-10&member=" + itoa64(f.Sofie.ID))
		if form.code != 200 || form.doc.Find(`#gb-date`).AttrOr("value", "") != "2026-03-10" ||
			form.doc.Find(`#gb-team_member_id option[selected]`).AttrOr("value", "") != itoa64(f.Sofie.ID) {
			t.Fatalf("new form: %d\n%s", form.code, form.body)
		}
		for _, name := range []string{"service_id", "team_member_id", "date", "start_time", "duration_min", "capacity", "category", "comment", "from", "until"} {
			id := form.doc.Find(`[name="`+name+`"]`).AttrOr("id", "")
			if id == "" || form.doc.Find(`label[for="`+id+`"]`).Length() != 1 {
				t.Errorf("field %s has no label", name)
			}
		}

		r := c.post("/admin/schedule/new", url.Values{
			"repeat": {"none"}, "service_id": {itoa64(f.Yoga.ID)}, "team_member_id": {itoa64(f.Sofie.ID)},
			"date": {"2026-03-10"}, "start_time": {"18:30"}, "duration_min": {""}, "capacity": {""},
			"color": {""}, "category": {""}, "comment": {"Bring a mat"},
		})
		if r.code != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", r.code, r.body)
		}
		loc := r.hdr.Get("Location")
		if !strings.HasPrefix(loc, "/admin/schedule?") || !strings.Contains(loc, "date=2026-03-10") {
			t.Errorf("redirect to %q", loc)
		}
		evs, err := f.Store.Events(context.Background(), booking.EventFilter{LocationID: f.Location.ID})
		if err != nil || len(evs) != 1 {
			t.Fatalf("%d events, %v", len(evs), err)
		}
		ev := evs[0]
		if !ev.StartsAt.Equal(time.Date(2026, 3, 10, 17, 30, 0, 0, time.UTC)) || ev.Capacity != 10 || ev.DurationMin != 60 || ev.Comment != "Bring a mat" {
			t.Errorf("created %+v", ev)
		}
		sch := c.get(loc)
		if sch.doc.Find(evSel(&ev)).Length() != 1 || sch.text(".gb-alert--success") != schedEnglish(t, "admin_schedule_created", 1) {
			t.Errorf("schedule after create: %q\n%s", sch.text(".gb-alert"), sch.body)
		}

		r = c.post("/admin/schedule/new", url.Values{
			"repeat": {"weekly"}, "service_id": {itoa64(f.Pilates.ID)}, "team_member_id": {itoa64(f.Marton.ID)},
			"weekdays": {"2", "4"}, "start_time": {"18:00"}, "from": {"2026-03-17"}, "until": {"2026-04-09"},
			"capacity": {"6"},
		})
		if r.code != http.StatusSeeOther || !strings.Contains(r.hdr.Get("Location"), "view=week") {
			t.Fatalf("create series: %d %q\n%s", r.code, r.hdr.Get("Location"), r.body)
		}
		if n := schedEventCount(e); n != 9 {
			t.Errorf("%d events, want 1 + 8", n)
		}
		if got := c.get(r.hdr.Get("Location")).text(".gb-alert--success"); got != schedEnglish(t, "admin_schedule_created", 8) {
			t.Errorf("alert %q", got)
		}
		// The week after the clock change: still 18:00 on Tuesday and Thursday.
		week := c.get("/admin/schedule?view=week&date=2026-03-30")
		for _, d := range []string{"2026-03-31", "2026-04-02"} {
			cell := week.doc.Find(weekCell(f.Marton, d) + " [data-event]")
			if cell.Length() != 1 || !strings.HasPrefix(strings.TrimSpace(cell.Find(".ga-sched-ev__time").Text()), "18:00") {
				t.Errorf("%s: %d events, %q", d, cell.Length(), cell.Text())
			}
			if got := strings.TrimSpace(cell.Find(".ga-sched-ev__seats [aria-hidden]").Text()); got != "0/6" {
				t.Errorf("%s seats %q", d, got)
			}
		}
		if week.doc.Find(`tr[data-member="`+itoa64(f.Marton.ID)+`"] [data-event]`).Length() != 2 {
			t.Error("series events on other days")
		}
	})
}

// TestAdminScheduleCreateErrors: each refusal is a 422 with the message at
// its field and nothing written.
func TestAdminScheduleCreateErrors(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		f := e.f
		c := e.signIn(ownerEmail)
		one := func(kv ...string) url.Values {
			v := url.Values{"repeat": {"none"}, "service_id": {itoa64(f.Yoga.ID)}, "team_member_id": {itoa64(f.Sofie.ID)},
				"date": {"2026-03-10"}, "start_time": {"18:30"}}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		series := func(kv ...string) url.Values {
			v := url.Values{"repeat": {"weekly"}, "service_id": {itoa64(f.Yoga.ID)}, "team_member_id": {itoa64(f.Sofie.ID)},
				"weekdays": {"2", "4"}, "start_time": {"18:00"}, "from": {"2026-03-17"}, "until": {"2026-04-09"}}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		noDays := series()
		noDays.Del("weekdays")
		for _, tc := range []struct {
			name  string
			form  url.Values
			field string
			msg   string
		}{
			{"capacity 0", one("capacity", "0"), "capacity", booking.MsgMustBePositive},
			{"capacity not a number", one("capacity", "many"), "capacity", booking.MsgMustBePositive},
			{"bad date", one("date", "2026-02-30"), "date", booking.MsgInvalidDate},
			{"bad time", one("start_time", "half six"), "start_time", booking.MsgInvalidTime},
			{"no service", one("service_id", ""), "service_id", booking.MsgUnknownService},
			{"series capacity 0", series("capacity", "0"), "capacity", booking.MsgMustBePositive},
			{"series with no weekdays", noDays, "weekdays", booking.MsgNoWeekdays},
			{"until before from", series("until", "2026-03-01"), "until", booking.MsgUntilBeforeFrom},
			{"series too long", series("until", "2027-06-01"), "until", booking.MsgSeriesTooLong},
		} {
			r := c.post("/admin/schedule/new", tc.form)
			if r.code != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422", tc.name, r.code)
				continue
			}
			if got := r.text("#gb-" + tc.field + "-error"); got != schedEnglish(t, tc.msg) {
				t.Errorf("%s: error at %s %q, want %q", tc.name, tc.field, got, schedEnglish(t, tc.msg))
			}
			if r.text(".gb-alert--error") == "" {
				t.Errorf("%s: no alert", tc.name)
			}
			if n := schedEventCount(e); n != 0 {
				t.Fatalf("%s: %d events written", tc.name, n)
			}
			// The form comes back as typed.
			if got := r.doc.Find(`#gb-start_time`).AttrOr("value", ""); got != tc.form.Get("start_time") {
				t.Errorf("%s: start time %q not kept", tc.name, got)
			}
			if tc.form.Get("repeat") == "weekly" && r.doc.Find(`input[name=repeat][value=weekly][checked]`).Length() != 1 {
				t.Errorf("%s: the series choice is lost", tc.name)
			}
		}
		// htmx: the 422 is swapped, its POST URL kept out of history.
		r := c.post("/admin/schedule/new", one("capacity", "0"), "HX-Request", "true")
		if r.code != http.StatusUnprocessableEntity || r.hdr.Get("HX-Push-Url") != "false" || strings.Contains(r.body, "<html") {
			t.Errorf("htmx 422: %d, HX-Push-Url %q", r.code, r.hdr.Get("HX-Push-Url"))
		}
		if r.doc.Find("#gb-capacity-error").Length() != 1 || r.doc.Find(".gb-alert--error").Length() != 1 {
			t.Error("htmx 422 without the field error or the alert")
		}
	})
}

// TestAdminScheduleEdit: one event; capacity below the seats taken is
// refused at the field; "this and following" of a series.
func TestAdminScheduleEdit(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		f := e.f
		zone := f.Location.Zone()
		ev := schedAt(e, f.Yoga, f.Sofie, 2026, 3, 10, 18, 0, 10)
		schedBook(e, 1, 4, ev)
		f.AlsoRuns(t, f.Marton, f.Yoga) // the edit below moves the event to him
		c := e.signIn(ownerEmail)

		form := c.get(schedEventPath(ev.ID, "edit"))
		if form.code != 200 || form.doc.Find("#gb-date").AttrOr("value", "") != "2026-03-10" ||
			form.doc.Find("#gb-start_time").AttrOr("value", "") != "18:00" || form.doc.Find("#gb-capacity").AttrOr("value", "") != "10" {
			t.Fatalf("edit form: %d\n%s", form.code, form.body)
		}
		if form.doc.Find("input[name=scope]").Length() != 0 {
			t.Error("scope choice for an event outside a series")
		}
		edit := func(kv ...string) url.Values {
			v := url.Values{"team_member_id": {itoa64(f.Marton.ID)}, "date": {"2026-03-11"}, "start_time": {"07:15"},
				"duration_min": {"45"}, "capacity": {"12"}, "color": {"#7b61ff"}, "category": {"Morning"}, "comment": {"Room 2"}}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		r := c.post(schedEventPath(ev.ID, "edit"), edit())
		if r.code != http.StatusSeeOther || !strings.Contains(r.hdr.Get("Location"), "date=2026-03-11") {
			t.Fatalf("edit: %d %q\n%s", r.code, r.hdr.Get("Location"), r.body)
		}
		got := schedLoad(e, ev.ID)
		if !got.StartsAt.Equal(time.Date(2026, 3, 11, 6, 15, 0, 0, time.UTC)) || got.TeamMemberID != f.Marton.ID ||
			got.DurationMin != 45 || got.Capacity != 12 || got.Color != "#7b61ff" || got.Category != "Morning" || got.Comment != "Room 2" {
			t.Errorf("edited %+v", got)
		}
		if alert := c.get(r.hdr.Get("Location")).text(".gb-alert--success"); alert != schedEnglish(t, "admin_schedule_updated", 1) {
			t.Errorf("alert %q", alert)
		}

		for _, tc := range []struct{ capacity, msg string }{{"3", booking.MsgCapacityBelow}, {"0", booking.MsgMustBePositive}} {
			r = c.post(schedEventPath(ev.ID, "edit"), edit("capacity", tc.capacity, "start_time", "09:00"))
			if r.code != http.StatusUnprocessableEntity || r.text("#gb-capacity-error") != schedEnglish(t, tc.msg) {
				t.Errorf("capacity %s: %d %q", tc.capacity, r.code, r.text("#gb-capacity-error"))
			}
			if r.doc.Find("#gb-capacity").AttrOr("aria-invalid", "") != "true" {
				t.Errorf("capacity %s: field not marked", tc.capacity)
			}
			if now := schedLoad(e, ev.ID); now.Capacity != 12 || !now.StartsAt.Equal(got.StartsAt) {
				t.Errorf("capacity %s: written %+v", tc.capacity, now)
			}
		}

		// A series: edit its third event and the following ones.
		_, events, err := f.Store.CreateSeries(context.Background(), f.Location.ID, booking.SeriesInput{
			ServiceID: f.Yoga.ID, TeamMemberID: f.Sofie.ID, Weekdays: booking.WeekdaySet(time.Tuesday, time.Thursday),
			StartTime: "18:00", From: "2026-03-17", Until: "2026-04-09",
		})
		if err != nil {
			t.Fatal(err)
		}
		third := events[2] // Tue 24 March
		sf := c.get(schedEventPath(third.ID, "edit"))
		if sf.doc.Find("input[name=scope][value=one][checked]").Length() != 1 || sf.doc.Find("input[name=scope][value=following]").Length() != 1 {
			t.Fatalf("no scope choice for a series event:\n%s", sf.body)
		}
		schedBook(e, 2, 5, &events[6])
		// Capacity below one later event's seats: refused, with the date named.
		r = c.post(schedEventPath(third.ID, "edit"), url.Values{"scope": {"following"}, "team_member_id": {itoa64(f.Sofie.ID)},
			"date": {"2026-03-24"}, "start_time": {"19:15"}, "duration_min": {"60"}, "capacity": {"4"}})
		if r.code != http.StatusUnprocessableEntity || r.text("#gb-capacity-error") != schedEnglish(t, booking.MsgCapacityBelow) {
			t.Errorf("series capacity below: %d %q", r.code, r.text("#gb-capacity-error"))
		}
		if !strings.Contains(r.text(".gb-alert--error"), "Tue 7 Apr 18:00 (5 booked)") {
			t.Errorf("conflict not named: %q", r.text(".gb-alert--error"))
		}
		if r.doc.Find("input[name=scope][value=following][checked]").Length() != 1 {
			t.Error("the scope choice is lost")
		}
		for _, ev := range events {
			if now := schedLoad(e, ev.ID); !now.StartsAt.Equal(ev.StartsAt) || now.Capacity != 10 {
				t.Errorf("refused series change written: %+v", now)
			}
		}
		r = c.post(schedEventPath(third.ID, "edit"), url.Values{"scope": {"following"}, "team_member_id": {itoa64(f.Marton.ID)},
			"date": {"2026-03-24"}, "start_time": {"19:15"}, "duration_min": {"60"}, "capacity": {"8"}, "color": {""}})
		if r.code != http.StatusSeeOther {
			t.Fatalf("series edit: %d\n%s", r.code, r.body)
		}
		if alert := c.get(r.hdr.Get("Location")).text(".gb-alert--success"); alert != schedEnglish(t, "admin_schedule_updated", 6) {
			t.Errorf("alert %q", alert)
		}
		for i, ev := range events {
			now := schedLoad(e, ev.ID)
			local := now.StartsAt.In(zone)
			if i < 2 {
				if !now.StartsAt.Equal(ev.StartsAt) || now.TeamMemberID != f.Sofie.ID {
					t.Errorf("event %d before the edited one changed", i)
				}
				continue
			}
			if local.Hour() != 19 || local.Minute() != 15 || local.Day() != ev.StartsAt.In(zone).Day() || now.TeamMemberID != f.Marton.ID || now.Capacity != 8 {
				t.Errorf("event %d: %s local, %+v", i, local, now)
			}
		}
		week := c.get("/admin/schedule?view=week&date=2026-03-30")
		if week.doc.Find(weekCell(f.Marton, "2026-03-31")+" "+evSel(&events[4])).Length() != 1 {
			t.Error("the moved series is not in Márton's row")
		}
	})
}

// TestAdminScheduleDelete: the confirmation says how many bookings go;
// deleting cancels them, frees the seats and says so on the schedule.
func TestAdminScheduleDelete(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		f := e.f
		ev := schedAt(e, f.Yoga, f.Sofie, 2026, 3, 10, 18, 0, 10)
		other := schedAt(e, f.Yoga, f.Sofie, 2026, 3, 12, 18, 0, 10)
		schedBook(e, 1, 2, ev)
		schedBook(e, 2, 1, ev)
		schedBook(e, 3, 1, other)
		c := e.signIn(ownerEmail)

		confirm := c.get(schedEventPath(ev.ID, "delete"))
		if confirm.code != 200 || confirm.text("#ga-sched-cancels") != schedEnglish(t, "admin_schedule_delete_cancels", 2) {
			t.Fatalf("confirmation: %d %q", confirm.code, confirm.text("#ga-sched-cancels"))
		}
		if confirm.doc.Find(`form[method=post][action="`+schedEventPath(ev.ID, "delete")+`"] button[type=submit]`).Length() != 1 {
			t.Error("no confirm button")
		}
		if schedLoad(e, ev.ID).DeletedAt != nil {
			t.Fatal("GET deleted the event")
		}
		if got := c.get(schedEventPath(other.ID, "delete")).text("#ga-sched-cancels"); got != schedEnglish(t, "admin_schedule_delete_cancels", 1) {
			t.Errorf("one booking: %q", got)
		}

		r := c.post(schedEventPath(ev.ID, "delete"), url.Values{})
		if r.code != http.StatusSeeOther || !strings.Contains(r.hdr.Get("Location"), "date=2026-03-10") {
			t.Fatalf("delete: %d %q", r.code, r.hdr.Get("Location"))
		}
		sch := c.get(r.hdr.Get("Location"))
		if sch.text(".gb-alert--success") != schedEnglish(t, "admin_schedule_deleted", 2) || sch.doc.Find(evSel(ev)).Length() != 0 {
			t.Errorf("after delete: %q", sch.text(".gb-alert"))
		}
		gone := schedLoad(e, ev.ID)
		if gone.DeletedAt == nil || gone.SeatsTaken != 0 {
			t.Errorf("deleted event %+v", gone)
		}
		bookings, err := f.Store.EventBookings(context.Background(), ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bookings {
			if b.Status != booking.StatusCancelled || b.CancelledBy != booking.CancelledByEventDeleted {
				t.Errorf("booking %d: %s by %q", b.ID, b.Status, b.CancelledBy)
			}
		}
		if schedLoad(e, other.ID).SeatsTaken != 1 {
			t.Error("another event's seats changed")
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Error(bad)
		}
		// A second click finds it gone.
		if r := c.post(schedEventPath(ev.ID, "delete"), url.Values{}); r.code != http.StatusNotFound {
			t.Errorf("second delete: %d", r.code)
		}
		if r := c.get(schedEventPath(ev.ID, "edit")); r.code != http.StatusNotFound {
			t.Errorf("edit of a deleted event: %d", r.code)
		}
	})
}

// TestAdminScheduleStaff: staff run the schedule: view, create, edit and
// delete, all of it.
func TestAdminScheduleStaff(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		f := e.f
		c := e.signIn(staffEmail)
		if r := c.get("/admin/schedule?view=week"); r.code != 200 {
			t.Fatalf("staff week view: %d", r.code)
		}
		if r := c.get("/admin/schedule/new"); r.code != 200 {
			t.Fatalf("staff new form: %d", r.code)
		}
		r := c.post("/admin/schedule/new", url.Values{"repeat": {"none"}, "service_id": {itoa64(f.Yoga.ID)},
			"team_member_id": {itoa64(f.Sofie.ID)}, "date": {"2026-03-10"}, "start_time": {"18:30"}, "capacity": {"5"}})
		if r.code != http.StatusSeeOther {
			t.Fatalf("staff create: %d\n%s", r.code, r.body)
		}
		evs, _ := f.Store.Events(context.Background(), booking.EventFilter{LocationID: f.Location.ID})
		if len(evs) != 1 {
			t.Fatalf("%d events", len(evs))
		}
		id := evs[0].ID
		if r := c.get(schedEventPath(id, "edit")); r.code != 200 {
			t.Errorf("staff edit form: %d", r.code)
		}
		r = c.post(schedEventPath(id, "edit"), url.Values{"team_member_id": {itoa64(f.Sofie.ID)}, "date": {"2026-03-10"}, "start_time": {"19:00"}, "capacity": {"6"}})
		if r.code != http.StatusSeeOther || schedLoad(e, id).Capacity != 6 {
			t.Errorf("staff edit: %d", r.code)
		}
		if r := c.get(schedEventPath(id, "delete")); r.code != 200 {
			t.Errorf("staff delete form: %d", r.code)
		}
		r = c.post(schedEventPath(id, "delete"), url.Values{})
		if r.code != http.StatusSeeOther || schedLoad(e, id).DeletedAt == nil {
			t.Fatalf("staff delete: %d", r.code)
		}
		if got := c.get(r.hdr.Get("Location")).text(".gb-alert--success"); got != schedEnglish(t, "admin_schedule_deleted_none") {
			t.Errorf("delete without bookings: %q", got)
		}
	})
}

// TestAdminScheduleAccess: without a session every schedule route goes to
// the sign-in page and writes nothing; ids of another location are 404.
func TestAdminScheduleAccess(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		f := e.f
		ev := schedAt(e, f.Yoga, f.Sofie, 2026, 3, 10, 18, 0, 10)
		anon := &adminClient{e: e, ip: "192.0.2.20"}
		for _, p := range []string{"/admin/schedule", "/admin/schedule?view=week", "/admin/schedule/new", schedEventPath(ev.ID, "edit"), schedEventPath(ev.ID, "delete")} {
			r := anon.get(p)
			if r.code != http.StatusSeeOther || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/login?next=") {
				t.Errorf("GET %s: %d %q", p, r.code, r.hdr.Get("Location"))
			}
		}
		for _, p := range []string{"/admin/schedule/new", schedEventPath(ev.ID, "edit"), schedEventPath(ev.ID, "delete")} {
			r := anon.post(p, url.Values{"repeat": {"none"}, "service_id": {itoa64(f.Yoga.ID)}, "team_member_id": {itoa64(f.Sofie.ID)},
				"date": {"2026-03-11"}, "start_time": {"18:30"}, "capacity": {"3"}})
			if r.code != http.StatusSeeOther || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/login") {
				t.Errorf("POST %s: %d %q", p, r.code, r.hdr.Get("Location"))
			}
		}
		if n := schedEventCount(e); n != 1 {
			t.Errorf("%d events after anonymous posts", n)
		}
		if now := schedLoad(e, ev.ID); now.DeletedAt != nil || now.Capacity != 10 {
			t.Errorf("anonymous change written: %+v", now)
		}

		// Another studio's event, by id: not found, untouched.
		ctx := context.Background()
		loc, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		svc, err := f.Store.CreateService(ctx, loc.ID, booking.ServiceInput{Name: "Surf", DurationMin: 90, DefaultCapacity: 6, Currency: "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		tm, err := f.Store.CreateTeamMember(ctx, loc.ID, booking.TeamMemberInput{Name: "Rui", ServiceIDs: []int64{svc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		foreign, err := f.Store.CreateEvent(ctx, loc.ID, booking.EventInput{ServiceID: svc.ID, TeamMemberID: tm.ID, StartsAt: f.Now.Add(48 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		c := e.signIn(ownerEmail)
		for _, p := range []string{schedEventPath(foreign.ID, "edit"), schedEventPath(foreign.ID, "delete"), schedEventPath(999999, "edit"), "/admin/schedule/events/x/edit"} {
			if r := c.get(p); r.code != http.StatusNotFound {
				t.Errorf("GET %s: %d", p, r.code)
			}
		}
		if r := c.post(schedEventPath(foreign.ID, "delete"), url.Values{}); r.code != http.StatusNotFound {
			t.Errorf("delete of a foreign event: %d", r.code)
		}
		if r := c.post(schedEventPath(foreign.ID, "edit"), url.Values{"team_member_id": {itoa64(tm.ID)}, "date": {"2026-03-10"}, "start_time": {"10:00"}}); r.code != http.StatusNotFound {
			t.Errorf("edit of a foreign event: %d", r.code)
		}
		if now := schedLoad(e, foreign.ID); now.DeletedAt != nil || !now.StartsAt.Equal(foreign.StartsAt) {
			t.Errorf("foreign event changed: %+v", now)
		}
		// Our own event can't be given another studio's team member or service.
		r := c.post(schedEventPath(ev.ID, "edit"), url.Values{"team_member_id": {itoa64(tm.ID)}, "date": {"2026-03-10"}, "start_time": {"18:00"}})
		if r.code != http.StatusUnprocessableEntity || r.text("#gb-team_member_id-error") != schedEnglish(t, booking.MsgUnknownMember) {
			t.Errorf("foreign team member: %d %q", r.code, r.text("#gb-team_member_id-error"))
		}
		r = c.post("/admin/schedule/new", url.Values{"service_id": {itoa64(svc.ID)}, "team_member_id": {itoa64(f.Sofie.ID)}, "date": {"2026-03-10"}, "start_time": {"18:00"}})
		if r.code != http.StatusUnprocessableEntity || r.text("#gb-service_id-error") != schedEnglish(t, booking.MsgUnknownService) {
			t.Errorf("foreign service: %d %q", r.code, r.text("#gb-service_id-error"))
		}
	})
}
