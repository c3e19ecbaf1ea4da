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

// passOtherStudio is a second location with a service and a pass type of
// its own, whose ids the first studio's admin must not reach.
type passOtherStudio struct {
	loc *booking.Location
	svc *booking.Service
	pt  *booking.PassType
}

func newPassOtherStudio(t *testing.T, e *adminEnv) *passOtherStudio {
	t.Helper()
	ctx := context.Background()
	o := &passOtherStudio{}
	var err error
	if o.loc, err = e.f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other Studio", TimeZone: "Europe/Budapest", Country: "HU", DefaultLang: "en"}); err != nil {
		t.Fatal(err)
	}
	if o.svc, err = e.f.Store.CreateService(ctx, o.loc.ID, booking.ServiceInput{Name: "Boxing", DurationMin: 60, DefaultCapacity: 5, Currency: "HUF", Color: "#123456"}); err != nil {
		t.Fatal(err)
	}
	if o.pt, err = e.f.Store.CreatePassType(ctx, o.loc.ID, booking.PassTypeInput{
		Name: "Boxing 5", Kind: booking.PassVisits, Visits: 5, ValidityDays: 30, ValidFrom: booking.ValidFromSale,
		PriceMinor: 1000000, Currency: "HUF", ServiceIDs: []int64{o.svc.ID},
	}); err != nil {
		t.Fatal(err)
	}
	return o
}

func passTypeForm(e *adminEnv) url.Values {
	return url.Values{
		"name": {"10 Yoga classes"}, "kind": {"visits"}, "visits": {"10"}, "validity_days": {"90"},
		"valid_from": {"sale"}, "price": {"30 000"}, "on_sale_online": {"1"},
		"service_ids": {itoa64(e.f.Yoga.ID), itoa64(e.f.Pilates.ID)},
	}
}

func passTypeCount(t *testing.T, db *bun.DB, locationID int64) int {
	t.Helper()
	n, err := db.NewSelect().Model((*booking.PassType)(nil)).Where("location_id = ?", locationID).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestAdminPassTypesCreateEditArchive(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		c := e.signIn(ownerEmail)

		list := c.get("/admin/passes")
		settingsOK(t, list, "empty list")
		if got := list.text(".ga-settings-empty"); got != settingsMsg(t, "admin_passes_empty") {
			t.Errorf("empty list says %q", got)
		}
		if list.doc.Find(`.ga-nav a[href="/admin/passes"][aria-current=page]`).Length() != 1 {
			t.Error("Passes is not the current navigation entry")
		}
		form := c.get("/admin/passes/new")
		settingsOK(t, form, "new form")
		for _, name := range []string{"name", "kind", "visits", "validity_days", "valid_from", "service_ids", "price", "on_sale_online", "archived"} {
			if form.doc.Find(`form[method=post] [name="`+name+`"]`).Length() == 0 {
				t.Errorf("the form has no %s field", name)
			}
		}
		if got := form.doc.Find(`input[name=service_ids]`).Length(); got != 2 {
			t.Errorf("%d service checkboxes, want Yoga and Pilates", got)
		}
		if got := form.text(`label[for=gb-price] .gb-optional`); got != "(HUF)" {
			t.Errorf("price currency %q", got)
		}

		other := newPassOtherStudio(t, e)
		for _, tc := range []struct {
			field, value, msg string
		}{
			{"name", " ", booking.MsgRequired},
			{"kind", "monthly", booking.MsgInvalidPassKind},
			{"visits", "0", booking.MsgPassVisitsRange},
			{"visits", "501", booking.MsgPassVisitsRange},
			{"visits", "ten", "admin_settings_error_whole_number"},
			{"validity_days", "0", booking.MsgPassValidityRange},
			{"validity_days", "731", booking.MsgPassValidityRange},
			{"valid_from", "tomorrow", booking.MsgInvalidValidFrom},
			{"price", "-5", "admin_settings_error_price_negative"},
			{"price", "12abc", "admin_settings_error_price"},
			{"service_ids", "", booking.MsgPassNoServices},
			{"service_ids", itoa64(other.svc.ID), booking.MsgUnknownService},
			{"service_ids", "x", "admin_passes_error_service"},
		} {
			f := passTypeForm(e)
			if tc.value == "" {
				f.Del(tc.field)
			} else {
				f.Set(tc.field, tc.value)
			}
			r := c.post("/admin/passes/new", f)
			settingsRefused(t, r, tc.field, settingsMsg(t, tc.msg))
			if n := passTypeCount(t, db, e.f.Location.ID); n != 0 {
				t.Fatalf("%s=%q: %d pass types written by a refused form", tc.field, tc.value, n)
			}
			// The form comes back as typed.
			if got := r.doc.Find("#gb-name").AttrOr("value", ""); tc.field != "name" && got != "10 Yoga classes" {
				t.Errorf("%s: name came back as %q", tc.field, got)
			}
		}

		settingsDoneTo(t, c.post("/admin/passes/new", passTypeForm(e)), "/admin/passes?done=created")
		types, err := e.f.Store.PassTypes(ctx, e.f.Location.ID)
		if err != nil || len(types) != 1 {
			t.Fatalf("pass types %+v, %v", types, err)
		}
		pt := types[0]
		if pt.Name != "10 Yoga classes" || pt.Kind != booking.PassVisits || pt.Visits != 10 || pt.ValidityDays != 90 ||
			pt.ValidFrom != booking.ValidFromSale || pt.PriceMinor != 3000000 || pt.Currency != "HUF" || !pt.OnSaleOnline ||
			pt.Archived || len(pt.ServiceIDs) != 2 {
			t.Errorf("stored %+v", pt)
		}
		list = c.get("/admin/passes?done=created")
		row := list.doc.Find(`#ga-pass-types tr[data-pass-type="` + itoa64(pt.ID) + `"]`)
		if got := strings.Join(strings.Fields(row.Text()), " "); !strings.Contains(got, "10 Yoga classes 10 visits 90 days from sale Yoga, Pilates 30 000 HUF On") {
			t.Errorf("list row %q", got)
		}

		// Edit: unlimited from first use, Yoga only, and archived.
		edit := "/admin/passes/" + itoa64(pt.ID) + "/edit"
		p := c.get(edit)
		settingsOK(t, p, "edit form")
		if p.doc.Find(`input[name=kind][value=visits][checked]`).Length() != 1 || p.doc.Find(`input[name=service_ids][checked]`).Length() != 2 {
			t.Error("the edit form does not show the stored kind and services")
		}
		f := passTypeForm(e)
		f.Set("kind", "unlimited")
		f.Set("visits", "")
		f.Set("valid_from", "first_use")
		f.Set("validity_days", "731")
		f["service_ids"] = []string{itoa64(e.f.Yoga.ID)}
		settingsRefused(t, c.post(edit, f), "validity_days", settingsMsg(t, booking.MsgPassValidityRange))
		if got, _ := e.f.Store.PassType(ctx, e.f.Location.ID, pt.ID); got.Kind != booking.PassVisits || got.ValidityDays != 90 {
			t.Fatalf("a refused edit was saved: %+v", got)
		}
		f.Set("validity_days", "30")
		f.Set("archived", "1")
		settingsDoneTo(t, c.post(edit, f), "/admin/passes?done=saved")
		got, _ := e.f.Store.PassType(ctx, e.f.Location.ID, pt.ID)
		if got.Kind != booking.PassUnlimited || got.ValidFrom != booking.ValidFromFirstUse || got.ValidityDays != 30 ||
			len(got.ServiceIDs) != 1 || !got.Archived {
			t.Errorf("after edit %+v", got)
		}
		list = c.get("/admin/passes")
		row = list.doc.Find(`#ga-pass-types-archived tr[data-pass-type="` + itoa64(pt.ID) + `"]`)
		if got := strings.Join(strings.Fields(row.Text()), " "); !strings.Contains(got, "Unlimited 30 days from first use Yoga") {
			t.Errorf("archived row %q", got)
		}
		settingsDoneTo(t, c.post("/admin/passes/"+itoa64(pt.ID)+"/restore", url.Values{}), "/admin/passes?done=restored")
		if got, _ := e.f.Store.PassType(ctx, e.f.Location.ID, pt.ID); got.Archived {
			t.Error("restore did not restore")
		}
		settingsDoneTo(t, c.post("/admin/passes/"+itoa64(pt.ID)+"/archive", url.Values{}), "/admin/passes?done=archived")
		if got, _ := e.f.Store.PassType(ctx, e.f.Location.ID, pt.ID); !got.Archived {
			t.Error("archive did not archive")
		}

		// Another studio's pass type is not there.
		theirs := "/admin/passes/" + itoa64(other.pt.ID)
		for _, r := range []*page{c.get(theirs + "/edit"), c.post(theirs+"/edit", passTypeForm(e)), c.post(theirs+"/archive", url.Values{})} {
			if r.code != http.StatusNotFound {
				t.Errorf("another studio's pass type: %d", r.code)
			}
		}
		if got, _ := e.f.Store.PassType(ctx, other.loc.ID, other.pt.ID); got.Name != "Boxing 5" || got.Archived {
			t.Errorf("another studio's pass type changed: %+v", got)
		}
	})
}

func TestAdminPassTypesAccess(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		pt, err := e.f.Store.CreatePassType(context.Background(), e.f.Location.ID, booking.PassTypeInput{
			Name: "Yoga 5", Kind: booking.PassVisits, Visits: 5, ValidityDays: 30, ValidFrom: booking.ValidFromSale,
			Currency: "HUF", ServiceIDs: []int64{e.f.Yoga.ID},
		})
		if err != nil {
			t.Fatal(err)
		}
		id := itoa64(pt.ID)
		settingsAccess(t, e, [][2]string{
			{"GET", "/admin/passes"}, {"GET", "/admin/passes/new"}, {"POST", "/admin/passes/new"},
			{"GET", "/admin/passes/" + id + "/edit"}, {"POST", "/admin/passes/" + id + "/edit"},
			{"POST", "/admin/passes/" + id + "/archive"}, {"POST", "/admin/passes/" + id + "/restore"},
			{"POST", "/admin/passes/settings"},
		})
		if got, _ := e.f.Store.PassType(context.Background(), e.f.Location.ID, pt.ID); got.Archived || got.Name != "Yoga 5" {
			t.Errorf("refused requests changed the pass type: %+v", got)
		}
	})
}

func TestAdminPassLateCancelSetting(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		c := e.signIn(ownerEmail)
		box := `#ga-pass-late input[name=return_visits_late_cancel]`
		if p := c.get("/admin/passes"); p.doc.Find(box).Length() != 1 || p.doc.Find(box+"[checked]").Length() != 0 {
			t.Fatal("the late-cancel setting is not shown unticked")
		}
		settingsDoneTo(t, c.post("/admin/passes/settings", url.Values{"return_visits_late_cancel": {"1"}}), "/admin/passes?done=saved")
		if loc, _ := e.f.Store.Location(ctx, e.f.Location.ID); !loc.ReturnVisitsLateCancel {
			t.Error("not saved")
		}
		if p := c.get("/admin/passes?done=saved"); p.doc.Find(box+"[checked]").Length() != 1 || p.text(".gb-alert--success") != settingsMsg(t, "admin_saved") {
			t.Error("the saved setting is not shown ticked with the saved message")
		}
		settingsDoneTo(t, c.post("/admin/passes/settings", url.Values{}), "/admin/passes?done=saved")
		if loc, _ := e.f.Store.Location(ctx, e.f.Location.ID); loc.ReturnVisitsLateCancel {
			t.Error("unticking was not saved")
		}
	})
}
