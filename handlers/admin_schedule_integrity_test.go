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

// TestAdminScheduleMemberService: the fixture's Sofie runs Yoga only and
// Márton Pilates only. A Pilates event with Sofie is refused at the team
// member field (create, series, edit) until the owner ticks "Allow any team
// member for any service" in Location settings.
func TestAdminScheduleMemberService(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		f := e.f
		ctx := context.Background()
		c := e.signIn(ownerEmail)
		want := schedEnglish(t, booking.MsgMemberNotService)
		one := url.Values{"repeat": {"none"}, "service_id": {itoa64(f.Pilates.ID)}, "team_member_id": {itoa64(f.Sofie.ID)},
			"date": {"2026-03-12"}, "start_time": {"18:30"}}
		series := url.Values{"repeat": {"weekly"}, "service_id": {itoa64(f.Pilates.ID)}, "team_member_id": {itoa64(f.Sofie.ID)},
			"weekdays": {"2", "4"}, "start_time": {"18:00"}, "from": {"2026-03-17"}, "until": {"2026-04-09"}}
		for name, form := range map[string]url.Values{"one": one, "series": series} {
			r := c.post("/admin/schedule/new", form)
			if r.code != http.StatusUnprocessableEntity || r.text("#gb-team_member_id-error") != want {
				t.Fatalf("%s: %d, member error %q\n%s", name, r.code, r.text("#gb-team_member_id-error"), r.body)
			}
			if r.text(".gb-alert--error") == "" {
				t.Errorf("%s: no alert", name)
			}
			// The form comes back as typed, the member still chosen.
			if got := r.doc.Find(`#gb-team_member_id option[selected]`).AttrOr("value", ""); got != itoa64(f.Sofie.ID) {
				t.Errorf("%s: member %q not kept", name, got)
			}
			if n := schedEventCount(e); n != 0 {
				t.Fatalf("%s: %d events written", name, n)
			}
		}

		// Editing a Yoga event to Márton: refused, the event unchanged.
		ev := schedAt(e, f.Yoga, f.Sofie, 2026, 3, 10, 18, 0, 10)
		edit := url.Values{"team_member_id": {itoa64(f.Marton.ID)}, "date": {"2026-03-10"}, "start_time": {"18:00"}, "capacity": {"10"}}
		r := c.post(schedEventPath(ev.ID, "edit"), edit)
		if r.code != http.StatusUnprocessableEntity || r.text("#gb-team_member_id-error") != want {
			t.Fatalf("edit: %d, member error %q", r.code, r.text("#gb-team_member_id-error"))
		}
		if got := schedLoad(e, ev.ID); got.TeamMemberID != f.Sofie.ID {
			t.Errorf("refused edit saved member %d", got.TeamMemberID)
		}

		// The owner allows any member for any service in Location settings.
		p := c.get("/admin/location")
		box := p.doc.Find(`#gb-any_member_any_service`)
		if box.Length() != 1 || box.Is("[checked]") || p.doc.Find(`label:has(#gb-any_member_any_service)`).Length() != 1 {
			t.Fatalf("location page: override box %d, checked %v", box.Length(), box.Is("[checked]"))
		}
		loc := url.Values{"name": {"Sunrise Yoga"}, "address": {f.Location.Address}, "time_zone": {"Europe/Budapest"},
			"country": {"HU"}, "default_lang": {"en"}, "any_member_any_service": {"1"}}
		settingsDoneTo(t, c.post("/admin/location", loc), "/admin/location?done=saved")
		if l, err := f.Store.Location(ctx, f.Location.ID); err != nil || !l.AnyMemberAnyService {
			t.Fatalf("override not saved: %v", err)
		}
		if !c.get("/admin/location").doc.Find(`#gb-any_member_any_service`).Is("[checked]") {
			t.Error("override box not ticked after saving")
		}

		if r := c.post("/admin/schedule/new", one); r.code != http.StatusSeeOther {
			t.Fatalf("create with the override: %d\n%s", r.code, r.body)
		}
		if r := c.post(schedEventPath(ev.ID, "edit"), edit); r.code != http.StatusSeeOther {
			t.Fatalf("edit with the override: %d\n%s", r.code, r.body)
		}
		if got := schedLoad(e, ev.ID); got.TeamMemberID != f.Marton.ID {
			t.Errorf("edit with the override: member %d", got.TeamMemberID)
		}

		// Unticking turns the rule back on.
		loc.Del("any_member_any_service")
		settingsDoneTo(t, c.post("/admin/location", loc), "/admin/location?done=saved")
		if r := c.post("/admin/schedule/new", one); r.code != http.StatusUnprocessableEntity {
			t.Errorf("create after the override was turned off: %d", r.code)
		}
	})
}

// TestAdminScheduleOverlap: a new event, a series or an edit that overlaps
// another live event of the same team member is not saved: the form comes
// back (409) naming the clashing events, with "Save anyway", which saves.
func TestAdminScheduleOverlap(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		f := e.f
		c := e.signIn(ownerEmail)
		busy := schedAt(e, f.Yoga, f.Sofie, 2026, 3, 10, 18, 0, 10) // Tue 18:00-19:00
		one := url.Values{"repeat": {"none"}, "service_id": {itoa64(f.Yoga.ID)}, "team_member_id": {itoa64(f.Sofie.ID)},
			"date": {"2026-03-10"}, "start_time": {"18:30"}}
		r := c.post("/admin/schedule/new", one)
		if r.code != http.StatusConflict {
			t.Fatalf("overlapping create: %d\n%s", r.code, r.body)
		}
		alert := r.text(".gb-alert--error")
		if !strings.Contains(alert, "18:00") || !strings.Contains(alert, "Yoga") {
			t.Errorf("warning does not name the clash: %q", alert)
		}
		if r.doc.Find(`input[name=confirm_overlap][value="1"]`).Length() != 1 || r.doc.Find(`label:has(#gb-confirm_overlap)`).Length() != 1 {
			t.Error("no labelled Save anyway box")
		}
		if got := r.doc.Find(`#gb-start_time`).AttrOr("value", ""); got != "18:30" {
			t.Errorf("form not kept: start %q", got)
		}
		if n := schedEventCount(e); n != 1 {
			t.Fatalf("warned create wrote: %d events", n)
		}
		// Through htmx the 409 is the alerts and the form, its URL kept
		// out of history, like a refusal.
		hx := c.post("/admin/schedule/new", one, "HX-Request", "true")
		if hx.code != http.StatusConflict || hx.hdr.Get("HX-Push-Url") != "false" || strings.Contains(hx.body, "<html") || hx.doc.Find("#gb-confirm_overlap").Length() != 1 {
			t.Errorf("htmx 409: %d, push %q", hx.code, hx.hdr.Get("HX-Push-Url"))
		}
		// The first form has no box.
		if c.get("/admin/schedule/new").doc.Find(`input[name=confirm_overlap]`).Length() != 0 {
			t.Error("Save anyway on a fresh form")
		}
		// Adjacent (19:00, right as it ends) is no clash.
		adj := url.Values{}
		for k, v := range one {
			adj[k] = v
		}
		adj.Set("start_time", "19:00")
		if r := c.post("/admin/schedule/new", adj); r.code != http.StatusSeeOther {
			t.Fatalf("adjacent create: %d\n%s", r.code, r.text(".gb-alert--error"))
		}
		// Save anyway saves.
		one.Set("confirm_overlap", "1")
		if r := c.post("/admin/schedule/new", one); r.code != http.StatusSeeOther {
			t.Fatalf("save anyway: %d\n%s", r.code, r.body)
		}
		if n := schedEventCount(e); n != 3 {
			t.Fatalf("%d events after save anyway", n)
		}

		// A series: each date is checked; Tuesday 10 March clashes.
		series := url.Values{"repeat": {"weekly"}, "service_id": {itoa64(f.Yoga.ID)}, "team_member_id": {itoa64(f.Sofie.ID)},
			"weekdays": {"2"}, "start_time": {"17:30"}, "from": {"2026-03-09"}, "until": {"2026-03-31"}}
		if r := c.post("/admin/schedule/new", series); r.code != http.StatusConflict || !strings.Contains(r.text(".gb-alert--error"), "18:00") {
			t.Fatalf("overlapping series: %d %q", r.code, r.text(".gb-alert--error"))
		}
		if n := schedEventCount(e); n != 3 {
			t.Fatalf("warned series wrote: %d events", n)
		}

		// The 19:00 event overlaps the 18:30 one saved anyway: changing
		// only its seats is not asked about again. Moving it to 18:15 is
		// warned and leaves it unchanged; it never clashes with itself.
		evs, err := f.Store.Events(context.Background(), booking.EventFilter{LocationID: f.Location.ID})
		if err != nil {
			t.Fatal(err)
		}
		var late booking.Event
		for _, ev := range evs {
			if ev.ID != busy.ID && ev.StartsAt.In(f.Location.Zone()).Hour() == 19 {
				late = ev
			}
		}
		edit := url.Values{"team_member_id": {itoa64(f.Sofie.ID)}, "date": {"2026-03-10"}, "start_time": {"19:00"}, "capacity": {"9"}}
		if r := c.post(schedEventPath(late.ID, "edit"), edit); r.code != http.StatusSeeOther {
			t.Fatalf("capacity edit: %d %q", r.code, r.text(".gb-alert--error"))
		}
		edit.Set("start_time", "18:15")
		if r := c.post(schedEventPath(late.ID, "edit"), edit); r.code != http.StatusConflict || r.doc.Find(`#gb-confirm_overlap`).Length() != 1 {
			t.Fatalf("overlapping edit: %d", r.code)
		}
		if got := schedLoad(e, late.ID); !got.StartsAt.Equal(late.StartsAt) {
			t.Errorf("warned edit moved the event to %v", got.StartsAt)
		}
		edit.Set("confirm_overlap", "1")
		if r := c.post(schedEventPath(late.ID, "edit"), edit); r.code != http.StatusSeeOther {
			t.Fatalf("edit save anyway: %d", r.code)
		}
		if got := schedLoad(e, late.ID); got.StartsAt.In(f.Location.Zone()).Format("15:04") != "18:15" {
			t.Errorf("edit save anyway: starts %v", got.StartsAt)
		}
	})
}
