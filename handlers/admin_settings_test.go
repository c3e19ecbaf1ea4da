package handlers

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestAdminSettingsAccess(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		svc, tm := settingsID64(e.f.Yoga.ID), settingsID64(e.f.Sofie.ID)
		settingsAccess(t, e, [][2]string{
			{"GET", "/admin/location"}, {"POST", "/admin/location"},
			{"GET", "/admin/services"}, {"GET", "/admin/services/new"}, {"POST", "/admin/services/new"},
			{"GET", "/admin/services/" + svc + "/edit"}, {"POST", "/admin/services/" + svc + "/edit"},
			{"POST", "/admin/services/" + svc + "/archive"}, {"POST", "/admin/services/" + svc + "/restore"},
			{"GET", "/admin/team"}, {"GET", "/admin/team/new"}, {"POST", "/admin/team/new"},
			{"GET", "/admin/team/" + tm + "/edit"}, {"POST", "/admin/team/" + tm + "/edit"},
			{"POST", "/admin/team/" + tm + "/archive"}, {"POST", "/admin/team/" + tm + "/restore"},
		})
		// Nothing the refused requests sent was applied.
		if got, _ := e.f.Store.Service(context.Background(), e.f.Yoga.ID); !got.Active {
			t.Error("a refused archive request archived Yoga")
		}
	})
}

func TestAdminLocationSettings(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		c := e.signIn(ownerEmail)
		p := c.get("/admin/location")
		settingsOK(t, p, "location")
		if v := p.doc.Find("#gb-name").AttrOr("value", ""); v != "Sunrise Yoga" {
			t.Errorf("name %q", v)
		}
		for sel, want := range map[string]string{"#gb-time_zone": "Europe/Budapest", "#gb-country": "HU", "#gb-default_lang": "en"} {
			if got := p.doc.Find(sel+" option[selected]").AttrOr("value", ""); got != want {
				t.Errorf("%s selected %q, want %q", sel, got, want)
			}
		}
		if n := p.doc.Find("#gb-time_zone optgroup").Length(); n < 4 {
			t.Errorf("%d time zone groups", n)
		}
		if got := p.text(`#gb-country option[value="HU"]`); got != "Hungary" {
			t.Errorf("HU is named %q", got)
		}
		if got := p.text(`#gb-time_zone option[value="Europe/Lisbon"]`); !strings.HasPrefix(got, "Lisbon (UTC") {
			t.Errorf("Lisbon is labelled %q", got)
		}
		// Names follow the page's language.
		if hu := c.get("/admin/location?lang=hu"); hu.text(`#gb-country option[value="HU"]`) != "Magyarország" {
			t.Errorf("HU in Hungarian: %q", hu.text(`#gb-country option[value="HU"]`))
		}

		good := url.Values{"name": {"Sunrise Yoga Lisboa"}, "address": {"Rua Augusta 1"}, "phone": {"+351 21 000 0000"},
			"time_zone": {"Europe/Lisbon"}, "country": {"PT"}, "default_lang": {"pt"}}
		for _, tc := range []struct{ field, value, msg string }{
			{"time_zone", "Mars/Olympus", booking.MsgInvalidTimeZone},
			{"time_zone", "Local", booking.MsgInvalidTimeZone},
			{"country", "XX", booking.MsgInvalidCountry},
			{"default_lang", "de", booking.MsgInvalidLanguage},
			{"name", " ", booking.MsgRequired},
			{"name", strings.Repeat("x", 101), booking.MsgTooLong},
		} {
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			form.Set(tc.field, tc.value)
			r := c.post("/admin/location", form)
			settingsRefused(t, r, tc.field, settingsMsg(t, tc.msg))
			if got := r.text(".gb-alert--error"); got != settingsMsg(t, "admin_fix_errors") {
				t.Errorf("alert %q", got)
			}
			if loc, _ := e.f.Store.Location(ctx, e.f.Location.ID); loc.Name != "Sunrise Yoga" || loc.TimeZone != "Europe/Budapest" {
				t.Fatalf("refused form was saved: %+v", loc)
			}
		}
		// Through htmx, the 422 is the alerts and the form, not a page.
		hx := c.post("/admin/location", url.Values{"name": {"X"}, "time_zone": {"Mars/Olympus"}, "country": {"HU"}, "default_lang": {"en"}}, "HX-Request", "true")
		if hx.code != http.StatusUnprocessableEntity || strings.Contains(hx.body, "<html") || hx.doc.Find(".gb-alert--error").Length() != 1 || hx.hdr.Get("HX-Push-Url") != "false" {
			t.Errorf("htmx 422: %d, push %q\n%s", hx.code, hx.hdr.Get("HX-Push-Url"), hx.body)
		}

		settingsDoneTo(t, c.post("/admin/location", good), "/admin/location?done=saved")
		loc, _ := e.f.Store.Location(ctx, e.f.Location.ID)
		if loc.Name != "Sunrise Yoga Lisboa" || loc.TimeZone != "Europe/Lisbon" || loc.Country != "PT" || loc.DefaultLang != "pt" || loc.Phone != "+351 21 000 0000" {
			t.Errorf("not saved: %+v", loc)
		}
		after := c.get("/admin/location?done=saved&lang=en")
		settingsOK(t, after, "location after save")
		if got := after.text(".gb-alert--success"); got != settingsMsg(t, "admin_saved") {
			t.Errorf("success alert %q", got)
		}
		if got := after.doc.Find("#gb-time_zone option[selected]").AttrOr("value", ""); got != "Europe/Lisbon" {
			t.Errorf("zone after save %q", got)
		}
		// Only known ?done= keys show anything.
		if got := c.get("/admin/location?done=<b>pwned</b>").doc.Find(".gb-alert").Length(); got != 0 {
			t.Errorf("unknown done key shows %d alerts", got)
		}
	})
}

func TestAdminLocationFreshInstall(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := settingsFreshEnv(t, db)
		c := e.signIn(ownerEmail)
		for _, path := range []string{"/admin/services", "/admin/services/new", "/admin/team", "/admin/team/new"} {
			if r := c.get(path); r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/admin/location" {
				t.Errorf("%s without a location: %d to %q", path, r.code, r.hdr.Get("Location"))
			}
		}
		p := c.get("/admin/location")
		settingsOK(t, p, "new location")
		if got := p.text("button[type=submit].ga-btn--primary"); got != settingsMsg(t, "admin_settings_location_create") {
			t.Errorf("submit %q", got)
		}
		if got := p.doc.Find("#gb-time_zone option[selected]").AttrOr("value", "x"); got != "" {
			t.Errorf("a zone is preselected: %q", got)
		}
		r := c.post("/admin/location", url.Values{"name": {"Studio"}, "time_zone": {"Mars/Olympus"}, "country": {"HU"}, "default_lang": {"hu"}})
		settingsRefused(t, r, "time_zone", settingsMsg(t, booking.MsgInvalidTimeZone))
		if n := settingsCount(t, db, (*booking.Location)(nil)); n != 0 {
			t.Fatalf("%d locations after a refused form", n)
		}
		settingsDoneTo(t, c.post("/admin/location", url.Values{"name": {"Studio"}, "time_zone": {"Europe/Kyiv"}, "country": {"UA"}, "default_lang": {"uk"}}), "/admin/location")
		locs, err := e.f.Store.Locations(context.Background())
		if err != nil || len(locs) != 1 || locs[0].TimeZone != "Europe/Kyiv" || locs[0].Country != "UA" {
			t.Fatalf("created: %+v %v", locs, err)
		}
		settingsOK(t, c.get("/admin/services"), "services of the new location")
		// A second save updates it rather than creating another.
		settingsDoneTo(t, c.post("/admin/location", url.Values{"name": {"Studio 2"}, "time_zone": {"Europe/Kyiv"}, "country": {"UA"}, "default_lang": {"uk"}}), "/admin/location")
		if n := settingsCount(t, db, (*booking.Location)(nil)); n != 1 {
			t.Errorf("%d locations after a second save", n)
		}
	})
}

func settingsServiceForm(name string) url.Values {
	return url.Values{"name": {name}, "category": {"Classes"}, "duration_min": {"45"}, "default_capacity": {"12"},
		"price": {"35.50"}, "currency": {"EUR"}, "color": {"#123456"}, "online_booking": {"1"}}
}

func TestAdminServices(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		c := e.signIn(ownerEmail)
		list := c.get("/admin/services")
		settingsOK(t, list, "services")
		yogaRow := list.doc.Find("#ga-services tbody tr").FilterFunction(func(_ int, s *goqSel) bool {
			return strings.Contains(s.Text(), "Yoga")
		})
		if yogaRow.Length() != 1 {
			t.Fatalf("Yoga row: %d\n%s", yogaRow.Length(), list.body)
		}
		row := strings.Join(strings.Fields(yogaRow.Text()), " ")
		for _, want := range []string{"Classes", "60 min", "10 seats", "3 500 HUF", settingsMsg(t, "admin_settings_on")} {
			if !strings.Contains(row, want) {
				t.Errorf("Yoga row %q lacks %q", row, want)
			}
		}
		if fill := yogaRow.Find("svg.ga-swatch rect").AttrOr("fill", ""); fill != "#2a9d8f" {
			t.Errorf("swatch fill %q", fill)
		}
		if list.doc.Find("#ga-services-archived").Length() != 0 {
			t.Error("an archived table without archived services")
		}

		form := c.get("/admin/services/new")
		settingsOK(t, form, "new service")
		if got := form.doc.Find("#gb-currency option[selected]").AttrOr("value", ""); got != "HUF" {
			t.Errorf("new service currency %q, want the location's HUF", got)
		}

		n := settingsCount(t, db, (*booking.Service)(nil))
		for _, tc := range []struct{ field, value, msg string }{
			{"default_capacity", "0", booking.MsgMustBePositive},
			{"default_capacity", "ten", "admin_settings_error_whole_number"},
			{"default_capacity", "", booking.MsgRequired},
			{"duration_min", "0", booking.MsgOutOfRange},
			{"price", "-5", "admin_settings_error_price_negative"},
			{"price", "abc", "admin_settings_error_price"},
			{"price", "1,000", "admin_settings_error_price"},
			{"color", "red", booking.MsgInvalidColor},
			{"color", "#12345g", booking.MsgInvalidColor},
			{"currency", "forint", booking.MsgInvalidCurrency},
			{"name", "", booking.MsgRequired},
		} {
			f := settingsServiceForm("Barre")
			f.Set(tc.field, tc.value)
			r := c.post("/admin/services/new", f)
			settingsRefused(t, r, tc.field, settingsMsg(t, tc.msg))
			if got := r.doc.Find("#gb-"+tc.field).AttrOr("value", tc.value); tc.field != "currency" && got != tc.value {
				t.Errorf("%s typed %q comes back as %q", tc.field, tc.value, got)
			}
		}
		// Several problems at once: each at its own field.
		f := settingsServiceForm("Barre")
		f.Set("price", "abc")
		f.Set("default_capacity", "0")
		f.Set("color", "red")
		r := c.post("/admin/services/new", f)
		settingsRefused(t, r, "price", settingsMsg(t, "admin_settings_error_price"))
		settingsRefused(t, r, "default_capacity", settingsMsg(t, booking.MsgMustBePositive))
		settingsRefused(t, r, "color", settingsMsg(t, booking.MsgInvalidColor))
		if got := settingsCount(t, db, (*booking.Service)(nil)); got != n {
			t.Fatalf("refused forms wrote services: %d, was %d", got, n)
		}

		settingsDoneTo(t, c.post("/admin/services/new", settingsServiceForm("Barre")), "/admin/services?done=created")
		all, _ := e.f.Store.Services(ctx, e.f.Location.ID, true)
		i := slices.IndexFunc(all, func(s booking.Service) bool { return s.Name == "Barre" })
		if i < 0 {
			t.Fatal("Barre not created")
		}
		barre := all[i]
		if barre.PriceMinor != 3550 || barre.Currency != "EUR" || barre.DurationMin != 45 || barre.DefaultCapacity != 12 ||
			barre.Color != "#123456" || !barre.OnlineBooking || barre.Category != "Classes" || barre.LocationID != e.f.Location.ID {
			t.Errorf("created %+v", barre)
		}
		if got := c.get("/admin/services?done=created").text(".gb-alert--success"); got != settingsMsg(t, "admin_settings_done_created") {
			t.Errorf("created alert %q", got)
		}

		yoga := "/admin/services/" + settingsID64(e.f.Yoga.ID)
		edit := c.get(yoga + "/edit")
		settingsOK(t, edit, "edit service")
		if got := edit.doc.Find("#gb-price").AttrOr("value", ""); got != "3500" {
			t.Errorf("price typed back as %q", got)
		}
		if edit.doc.Find(`input[name=online_booking][checked]`).Length() != 1 {
			t.Error("online booking not checked")
		}
		bad := settingsServiceForm("Yoga")
		bad.Set("default_capacity", "0")
		settingsRefused(t, c.post(yoga+"/edit", bad), "default_capacity", settingsMsg(t, booking.MsgMustBePositive))
		if got, _ := e.f.Store.Service(ctx, e.f.Yoga.ID); got.DefaultCapacity != 10 || got.Name != "Yoga" {
			t.Fatalf("refused edit saved: %+v", got)
		}
		ok := settingsServiceForm("Yoga flow")
		ok.Set("price", "4 000")
		ok.Set("currency", "HUF")
		ok.Del("online_booking")
		settingsDoneTo(t, c.post(yoga+"/edit", ok), "/admin/services?done=saved")
		if got, _ := e.f.Store.Service(ctx, e.f.Yoga.ID); got.Name != "Yoga flow" || got.PriceMinor != 400000 || got.OnlineBooking {
			t.Errorf("edit not saved: %+v", got)
		}

		// Archive and restore.
		pil := "/admin/services/" + settingsID64(e.f.Pilates.ID)
		settingsDoneTo(t, c.post(pil+"/archive", url.Values{}), "/admin/services?done=archived")
		if got, _ := e.f.Store.Service(ctx, e.f.Pilates.ID); got.Active {
			t.Fatal("Pilates not archived")
		}
		list = c.get("/admin/services?done=archived")
		settingsOK(t, list, "services with an archived one")
		if !strings.Contains(list.text("#ga-services-archived"), "Pilates") || strings.Contains(list.text("#ga-services"), "Pilates") {
			t.Errorf("Pilates not listed apart: active %q", list.text("#ga-services"))
		}
		if list.doc.Find(`#ga-services-archived form[action="`+pil+`/restore"]`).Length() != 1 {
			t.Error("no restore button")
		}
		settingsDoneTo(t, c.post(pil+"/restore", url.Values{}), "/admin/services?done=restored")
		if got, _ := e.f.Store.Service(ctx, e.f.Pilates.ID); !got.Active {
			t.Fatal("Pilates not restored")
		}
	})
}

// TestAdminSettingsOtherLocation: ids of another location's services and
// team members are not found, whatever the request.
func TestAdminSettingsOtherLocation(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		st := e.f.Store
		other, err := st.CreateLocation(ctx, booking.LocationInput{Name: "Elsewhere", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		surf, err := st.CreateService(ctx, other.ID, booking.ServiceInput{Name: "Surf", DurationMin: 90, DefaultCapacity: 6, Currency: "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		coach, err := st.CreateTeamMember(ctx, other.ID, booking.TeamMemberInput{Name: "Coach", ServiceIDs: []int64{surf.ID}})
		if err != nil {
			t.Fatal(err)
		}
		c := e.signIn(ownerEmail)
		s, m := "/admin/services/"+settingsID64(surf.ID), "/admin/team/"+settingsID64(coach.ID)
		for _, r := range []*page{
			c.get(s + "/edit"), c.post(s+"/edit", settingsServiceForm("Hijacked")), c.post(s+"/archive", url.Values{}),
			c.get(m + "/edit"), c.post(m+"/edit", url.Values{"name": {"Hijacked"}}), c.post(m+"/archive", url.Values{}),
			c.get("/admin/services/abc/edit"), c.get("/admin/team/0/edit"), c.post("/admin/services/-1/archive", url.Values{}),
		} {
			if r.code != http.StatusNotFound {
				t.Errorf("%d, want 404", r.code)
			}
		}
		if got, _ := st.Service(ctx, surf.ID); got.Name != "Surf" || !got.Active {
			t.Errorf("another location's service changed: %+v", got)
		}
		if got, _ := st.TeamMember(ctx, coach.ID); got.Name != "Coach" || !got.Active {
			t.Errorf("another location's member changed: %+v", got)
		}
		if p := c.get("/admin/services"); strings.Contains(p.body, "Surf") {
			t.Error("another location's service listed")
		}
		if p := c.get("/admin/team"); strings.Contains(p.body, "Coach") {
			t.Error("another location's member listed")
		}
	})
}

func TestAdminTeam(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		st := e.f.Store
		c := e.signIn(ownerEmail)
		list := c.get("/admin/team")
		settingsOK(t, list, "team")
		if got := list.text("#ga-team"); !strings.Contains(got, "Sofie") || !strings.Contains(got, "Yoga teacher") || !strings.Contains(got, "Márton") {
			t.Errorf("team list %q", got)
		}
		sofieRow := list.doc.Find("#ga-team tbody tr").FilterFunction(func(_ int, s *goqSel) bool { return strings.Contains(s.Text(), "Sofie") })
		if got := strings.Join(strings.Fields(sofieRow.Find(".ga-settings-tags").Text()), " "); got != "Yoga" {
			t.Errorf("Sofie runs %q", got)
		}

		form := c.get("/admin/team/new")
		settingsOK(t, form, "new member")
		if n := form.doc.Find(`input[type=checkbox][name=service_ids]`).Length(); n != 2 {
			t.Errorf("%d service boxes, want 2", n)
		}

		other, err := st.CreateLocation(ctx, booking.LocationInput{Name: "Elsewhere", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		surf, err := st.CreateService(ctx, other.ID, booking.ServiceInput{Name: "Surf", DurationMin: 90, DefaultCapacity: 6, Currency: "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		members := settingsCount(t, db, (*booking.TeamMember)(nil))
		links := settingsCount(t, db, (*teamLinkRow)(nil))
		yoga, pil := settingsID64(e.f.Yoga.ID), settingsID64(e.f.Pilates.ID)
		for _, tc := range []struct {
			name  string
			form  url.Values
			field string
			msg   string
		}{
			{"no name", url.Values{"name": {" "}, "service_ids": {yoga}}, "name", booking.MsgRequired},
			{"long title", url.Values{"name": {"Ana"}, "title": {strings.Repeat("t", 101)}}, "title", booking.MsgTooLong},
			{"another location's service", url.Values{"name": {"Ana"}, "service_ids": {yoga, settingsID64(surf.ID)}}, "service_ids", booking.MsgUnknownService},
			{"unknown service", url.Values{"name": {"Ana"}, "service_ids": {"999999"}}, "service_ids", booking.MsgUnknownService},
			{"not a number", url.Values{"name": {"Ana"}, "service_ids": {"x"}}, "service_ids", booking.MsgUnknownService},
		} {
			r := c.post("/admin/team/new", tc.form)
			settingsRefused(t, r, tc.field, settingsMsg(t, tc.msg))
			if got := settingsCount(t, db, (*booking.TeamMember)(nil)); got != members {
				t.Fatalf("%s: a member was written", tc.name)
			}
		}
		if got := settingsCount(t, db, (*teamLinkRow)(nil)); got != links {
			t.Fatalf("refused forms wrote member services")
		}

		settingsDoneTo(t, c.post("/admin/team/new", url.Values{"name": {"Ana"}, "title": {"Barre coach"}, "service_ids": {yoga, pil}}), "/admin/team?done=created")
		all, _ := st.TeamMembers(ctx, e.f.Location.ID, true)
		i := slices.IndexFunc(all, func(m booking.TeamMember) bool { return m.Name == "Ana" })
		if i < 0 {
			t.Fatal("Ana not created")
		}
		ana, _ := st.TeamMember(ctx, all[i].ID)
		if ana.Title != "Barre coach" || len(ana.ServiceIDs) != 2 {
			t.Errorf("created %+v", ana)
		}

		sofie := "/admin/team/" + settingsID64(e.f.Sofie.ID)
		edit := c.get(sofie + "/edit")
		settingsOK(t, edit, "edit member")
		if got := edit.doc.Find(`input[name=service_ids][checked]`).AttrOr("value", ""); got != yoga {
			t.Errorf("checked service %q, want Yoga", got)
		}
		r := c.post(sofie+"/edit", url.Values{"name": {"Sofie"}, "service_ids": {pil, settingsID64(surf.ID)}})
		settingsRefused(t, r, "service_ids", settingsMsg(t, booking.MsgUnknownService))
		if got, _ := st.TeamMember(ctx, e.f.Sofie.ID); !slices.Equal(got.ServiceIDs, []int64{e.f.Yoga.ID}) {
			t.Fatalf("tampered edit changed Sofie's services: %v", got.ServiceIDs)
		}
		settingsDoneTo(t, c.post(sofie+"/edit", url.Values{"name": {"Sofie K."}, "title": {"Pilates teacher"}, "service_ids": {pil}}), "/admin/team?done=saved")
		if got, _ := st.TeamMember(ctx, e.f.Sofie.ID); got.Name != "Sofie K." || !slices.Equal(got.ServiceIDs, []int64{e.f.Pilates.ID}) {
			t.Errorf("edit not saved: %+v", got)
		}

		// An archived service stays on the form of a member who runs it,
		// marked, so saving keeps it; a new member is not offered it.
		if err := st.SetServiceActive(ctx, e.f.Pilates.ID, false); err != nil {
			t.Fatal(err)
		}
		edit = c.get(sofie + "/edit")
		box := edit.doc.Find(`input[name=service_ids][value="` + pil + `"]`)
		if box.Length() != 1 || box.AttrOr("checked", "no") == "no" || !strings.Contains(box.Parent().Text(), settingsMsg(t, "admin_settings_archived_badge")) {
			t.Errorf("archived Pilates on Sofie's form: %q", box.Parent().Text())
		}
		if c.get("/admin/team/new").doc.Find(`input[name=service_ids][value="`+pil+`"]`).Length() != 0 {
			t.Error("archived service offered to a new member")
		}

		marton := "/admin/team/" + settingsID64(e.f.Marton.ID)
		settingsDoneTo(t, c.post(marton+"/archive", url.Values{}), "/admin/team?done=archived")
		if got, _ := st.TeamMember(ctx, e.f.Marton.ID); got.Active {
			t.Fatal("Márton not archived")
		}
		list = c.get("/admin/team")
		settingsOK(t, list, "team with an archived member")
		if !strings.Contains(list.text("#ga-team-archived"), "Márton") || strings.Contains(list.text("#ga-team"), "Márton") {
			t.Error("Márton not listed apart")
		}
		settingsDoneTo(t, c.post(marton+"/restore", url.Values{}), "/admin/team?done=restored")
		if got, _ := st.TeamMember(ctx, e.f.Marton.ID); !got.Active {
			t.Fatal("Márton not restored")
		}
	})
}

// teamLinkRow reads the member-service table, to check nothing was written.
type teamLinkRow struct {
	bun.BaseModel `bun:"table:team_member_services"`
	TeamMemberID  int64 `bun:"team_member_id"`
}

// TestAdminSettingsLanguages renders every page in every language, so a
// message missing anywhere fails (the bundle reports it).
func TestAdminSettingsLanguages(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		c := e.signIn(ownerEmail)
		if err := e.f.Store.SetServiceActive(context.Background(), e.f.Pilates.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := e.f.Store.SetTeamMemberActive(context.Background(), e.f.Marton.ID, false); err != nil {
			t.Fatal(err)
		}
		for _, lang := range booking.Languages {
			for _, path := range []string{
				"/admin/location", "/admin/services?done=archived", "/admin/services/new", "/admin/services/" + settingsID64(e.f.Pilates.ID) + "/edit",
				"/admin/team?done=restored", "/admin/team/new", "/admin/team/" + settingsID64(e.f.Marton.ID) + "/edit",
			} {
				p := c.get(path + settingsSep(path) + "lang=" + lang)
				settingsOK(t, p, lang+" "+path)
				if got := p.doc.Find("html").AttrOr("lang", ""); got != lang {
					t.Errorf("%s %s: html lang %q", lang, path, got)
				}
			}
			r := c.post("/admin/services/new?lang="+lang, url.Values{"name": {"X"}, "default_capacity": {"0"}, "duration_min": {"x"}, "price": {"-1"}, "currency": {"EUR"}})
			if r.code != http.StatusUnprocessableEntity || r.doc.Find(".gb-error").Length() != 3 {
				t.Errorf("%s: refused service: %d, %d errors", lang, r.code, r.doc.Find(".gb-error").Length())
			}
		}
	})
}

func settingsSep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}
