package handlers

import (
	"context"
	"net/http"
	"net/url"
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
			"date": {"2026-03-10"}, "start_time": {"18:30"}}
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
