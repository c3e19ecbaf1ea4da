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

// passWorld is the clients world with pass types: "10 Yoga classes" on
// sale, "Old" archived, and another studio's type.
type passWorld struct {
	*clientsWorld
	yoga10, old *booking.PassType
	theirs      *booking.PassType
}

func newPassWorld(t *testing.T, e *adminEnv) *passWorld {
	t.Helper()
	ctx := context.Background()
	w := &passWorld{clientsWorld: newClientsWorld(t, e)}
	mk := func(locID int64, name string, svc int64) *booking.PassType {
		t.Helper()
		pt, err := e.f.Store.CreatePassType(ctx, locID, booking.PassTypeInput{
			Name: name, Kind: booking.PassVisits, Visits: 10, ValidityDays: 90, ValidFrom: booking.ValidFromSale,
			PriceMinor: 3000000, Currency: "HUF", ServiceIDs: []int64{svc},
		})
		if err != nil {
			t.Fatal(err)
		}
		return pt
	}
	w.yoga10 = mk(e.f.Location.ID, "10 Yoga classes", e.f.Yoga.ID)
	w.old = mk(e.f.Location.ID, "Old", e.f.Yoga.ID)
	if err := e.f.Store.ArchivePassType(ctx, e.f.Location.ID, w.old.ID, true); err != nil {
		t.Fatal(err)
	}
	svcs, err := e.f.Store.Services(ctx, w.stranger.LocationID, true)
	if err != nil || len(svcs) == 0 {
		t.Fatal(svcs, err)
	}
	w.theirs = mk(w.stranger.LocationID, "Theirs", svcs[0].ID)
	return w
}

// sell sells a pass through the store, for tests that start with one.
func (w *passWorld) sell(t *testing.T, e *adminEnv, locID, clientID, typeID int64) *booking.ClientPass {
	t.Helper()
	cp, err := e.f.Store.SellPass(context.Background(), booking.SellPassInput{
		LocationID: locID, ClientID: clientID, PassTypeID: typeID, Method: booking.MethodCash, AmountMinor: 3000000,
	})
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func passRows(t *testing.T, db *bun.DB, model any) int {
	t.Helper()
	n, err := db.NewSelect().Model(model).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestAdminClientPassSell(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		w := newPassWorld(t, e)
		ctx := context.Background()
		c := e.signIn(staffEmail) // selling at the desk is staff's work
		cpage := "/admin/clients/" + itoa64(w.anna.ID)
		sell := cpage + "/passes"

		p := c.get(cpage)
		settingsOK(t, p, "client cpage")
		if got := p.text("#ga-client-passes .ga-clients-empty"); got != settingsMsg(t, "admin_passes_client_none") {
			t.Errorf("no passes yet: %q", got)
		}
		var offered []string
		p.doc.Find("#gb-pass_type_id option[value!='']").Each(func(_ int, s *goqSel) { offered = append(offered, s.AttrOr("value", "")) })
		if strings.Join(offered, ",") != itoa64(w.yoga10.ID) {
			t.Errorf("offered pass types %v, want only %d (not the archived one)", offered, w.yoga10.ID)
		}

		good := url.Values{"pass_type_id": {itoa64(w.yoga10.ID)}, "start": {"2026-03-02"}, "method": {"cash"}, "amount": {""}}
		for _, tc := range []struct{ field, value, msg string }{
			{"pass_type_id", "", booking.MsgUnknownPassType},
			{"pass_type_id", "x", booking.MsgUnknownPassType},
			{"pass_type_id", itoa64(w.old.ID), booking.MsgUnknownPassType},
			{"pass_type_id", itoa64(w.theirs.ID), booking.MsgUnknownPassType},
			{"start", "2026-13-01", booking.MsgInvalidDate},
			{"start", "", "admin_passes_error_date"},
			{"method", "bitcoin", booking.MsgInvalidPayMethod},
			{"amount", "abc", "admin_passes_error_amount"},
		} {
			f := url.Values{}
			for k, v := range good {
				f[k] = v
			}
			f.Set(tc.field, tc.value)
			r := c.post(sell, f)
			settingsRefused(t, r, tc.field, settingsMsg(t, tc.msg))
			if r.doc.Find("#ga-sell[open]").Length() != 1 {
				t.Errorf("%s: the refused sale form is not open", tc.field)
			}
			if n := passRows(t, db, (*booking.ClientPass)(nil)); n != 0 {
				t.Fatalf("%s=%q: %d passes written by a refused sale", tc.field, tc.value, n)
			}
		}

		r0 := c.post(sell, url.Values{"pass_type_id": {"x"}, "start": {"2026-03-02"}, "method": {"free"}})
		settingsRefused(t, r0, "pass_type_id", settingsMsg(t, booking.MsgUnknownPassType))

		// An empty amount is the type's price.
		r := c.post(sell, good)
		settingsDoneTo(t, r, cpage+"?done=sold")
		passes, err := e.f.Store.ClientPasses(ctx, e.f.Location.ID, w.anna.ID)
		if err != nil || len(passes) != 1 {
			t.Fatalf("passes %+v, %v", passes, err)
		}
		cp := passes[0]
		if cp.Balance != 10 || cp.StartsOn != "2026-03-02" || cp.ValidUntil != "2026-05-30" || len(cp.Entries) != 1 {
			t.Errorf("sold pass %+v", cp)
		}
		if en := cp.Entries[0]; en.Kind != booking.EntrySale || en.AmountMinor != 3000000 || en.Method != "cash" || en.StaffUserID != e.staff.ID {
			t.Errorf("sale entry %+v", en)
		}
		p = c.get(cpage + "?done=sold")
		if got := p.text(".gb-alert--success"); got != settingsMsg(t, "admin_passes_done_sold") {
			t.Errorf("alert %q", got)
		}
		card := p.doc.Find("#pass-" + itoa64(cp.ID))
		if got := strings.Join(strings.Fields(card.Find(".ga-pass__head").Text()), " "); got != "10 Yoga classes Active" {
			t.Errorf("card head %q", got)
		}
		if got := card.Find(".ga-pass__balance").Text(); got != "10 visits left" {
			t.Errorf("balance %q", got)
		}
		if got := card.Find(".ga-pass__validity").Text(); got != "Valid Mon 2 Mar – Sat 30 May" {
			t.Errorf("validity %q", got)
		}
		if got := strings.Join(strings.Fields(card.Find(".ga-pass__ledger tbody tr").Text()), " "); !strings.Contains(got, "Sold +10 Paid 30 000 HUF (Cash) · by Sam Staff") {
			t.Errorf("ledger %q", got)
		}

		// Granted free: no payment recorded.
		settingsDoneTo(t, c.post(sell, url.Values{"pass_type_id": {itoa64(w.yoga10.ID)}, "start": {"2026-03-10"}, "method": {"free"}, "amount": {"500"}}), cpage+"?done=granted")
		passes, _ = e.f.Store.ClientPasses(ctx, e.f.Location.ID, w.anna.ID)
		if len(passes) != 2 || passes[0].Entries[0].Kind != booking.EntryGrant || passes[0].Entries[0].AmountMinor != 0 {
			t.Errorf("granted pass %+v", passes[0])
		}

		// Another studio's client: not found, nothing written.
		before := passRows(t, db, (*booking.ClientPass)(nil))
		if r := c.post("/admin/clients/"+itoa64(w.stranger.ID)+"/passes", good); r.code != http.StatusNotFound {
			t.Errorf("sale to another studio's client: %d", r.code)
		}
		if n := passRows(t, db, (*booking.ClientPass)(nil)); n != before {
			t.Errorf("a refused sale wrote a pass")
		}
	})
}

func TestAdminClientPassChanges(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		w := newPassWorld(t, e)
		ctx := context.Background()
		c := e.signIn(staffEmail)
		cp := w.sell(t, e, e.f.Location.ID, w.anna.ID, w.yoga10.ID)
		cpage := "/admin/clients/" + itoa64(w.anna.ID)
		base := cpage + "/passes/" + itoa64(cp.ID)
		load := func() *booking.ClientPass {
			t.Helper()
			got, err := e.f.Store.ClientPass(ctx, booking.PassRef{LocationID: e.f.Location.ID, ClientID: w.anna.ID, PassID: cp.ID})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		entries := 1
		// refused checks a 4xx with the message at the pass's field and
		// no ledger row written.
		refused := func(r *page, status int, field, msg string) {
			t.Helper()
			if r.code != status {
				t.Fatalf("%s: %d, want %d\n%s", field, r.code, status, r.body)
			}
			id := "#gap-" + itoa64(cp.ID) + "-" + field + "-error"
			if got := r.text(id); got != settingsMsg(t, msg) {
				t.Errorf("%s = %q, want %q", id, got, settingsMsg(t, msg))
			}
			if r.doc.Find("#pass-"+itoa64(cp.ID)+" details.ga-pass__change[open]").Length() != 1 && field != "freeze" && field != "state" {
				t.Errorf("%s: the pass's change panel is not open", field)
			}
			settingsClean(t, r, field)
			if n := len(load().Entries); n != entries {
				t.Fatalf("%s: %d ledger rows after a refusal, want %d", field, n, entries)
			}
		}

		// Freeze, then freeze again (409), then unfreeze.
		settingsDoneTo(t, c.post(base+"/freeze", url.Values{}), cpage+"?done=frozen")
		entries++
		if got := load(); !got.Frozen() {
			t.Fatal("not frozen")
		}
		p := c.get(cpage)
		if got := p.text("#pass-" + itoa64(cp.ID) + " .ga-pass__state"); got != "Frozen" {
			t.Errorf("state %q", got)
		}
		refused(c.post(base+"/freeze", url.Values{}), http.StatusConflict, "freeze", "admin_passes_error_frozen")
		settingsDoneTo(t, c.post(base+"/unfreeze", url.Values{}), cpage+"?done=unfrozen")
		entries++
		refused(c.post(base+"/unfreeze", url.Values{}), http.StatusConflict, "freeze", "admin_passes_error_not_frozen")

		// Extend.
		until := load().ValidUntil
		refused(c.post(base+"/extend", url.Values{"days": {"a week"}}), http.StatusUnprocessableEntity, "days", "admin_settings_error_whole_number")
		refused(c.post(base+"/extend", url.Values{"days": {"0"}}), http.StatusUnprocessableEntity, "days", booking.MsgPassExtendDays)
		refused(c.post(base+"/extend", url.Values{"days": {"100000"}}), http.StatusUnprocessableEntity, "days", booking.MsgPassExtendDays)
		settingsDoneTo(t, c.post(base+"/extend", url.Values{"days": {"7"}}), cpage+"?done=extended")
		entries++
		if got := load().ValidUntil; got <= until {
			t.Errorf("valid until %s after extending %s by 7 days", got, until)
		}

		// Correct: a reason is required, the delta is bounded, the balance
		// never goes below 0.
		r := c.post(base+"/correct", url.Values{"delta": {"-1"}, "reason": {" "}})
		refused(r, http.StatusUnprocessableEntity, "reason", booking.MsgRequired)
		if got := r.doc.Find("#gap-"+itoa64(cp.ID)+"-delta").AttrOr("value", ""); got != "-1" {
			t.Errorf("the delta came back as %q", got)
		}
		refused(c.post(base+"/correct", url.Values{"delta": {"1000"}, "reason": {"typo"}}), http.StatusUnprocessableEntity, "delta", booking.MsgPassCorrection)
		refused(c.post(base+"/correct", url.Values{"delta": {"-11"}, "reason": {"typo"}}), http.StatusUnprocessableEntity, "delta", booking.MsgPassBalanceBelow)
		refused(c.post(base+"/correct", url.Values{"delta": {"two"}, "reason": {"typo"}}), http.StatusUnprocessableEntity, "delta", "admin_settings_error_whole_number")
		settingsDoneTo(t, c.post(base+"/correct", url.Values{"delta": {"-2"}, "reason": {"Came twice without booking"}}), cpage+"?done=corrected")
		entries++
		got := load()
		if got.Balance != 8 {
			t.Errorf("balance %d after -2, want 8", got.Balance)
		}
		if en := got.Entries[len(got.Entries)-1]; en.Kind != booking.EntryCorrection || en.Visits != -2 || en.Reason != "Came twice without booking" || en.StaffUserID != e.staff.ID {
			t.Errorf("correction entry %+v", en)
		}
		p = c.get(cpage)
		if got := p.text("#pass-" + itoa64(cp.ID) + " .ga-pass__balance"); got != "8 visits left" {
			t.Errorf("balance shown %q", got)
		}
		if got := strings.Join(strings.Fields(p.doc.Find("#pass-"+itoa64(cp.ID)+" .ga-pass__entry--correction").Text()), " "); !strings.Contains(got, "Balance corrected -2 Came twice without booking · by Sam Staff") {
			t.Errorf("correction row %q", got)
		}

		// Refusals by id: another client's pass under Anna's URL, Anna's
		// pass under Béla's, another studio's pass and client.
		bela := w.sell(t, e, e.f.Location.ID, w.bela.ID, w.yoga10.ID)
		theirs := w.sell(t, e, w.stranger.LocationID, w.stranger.ID, w.theirs.ID)
		allEntries := passRows(t, db, (*booking.PassEntry)(nil))
		for _, path := range []string{
			cpage + "/passes/" + itoa64(bela.ID) + "/freeze",
			cpage + "/passes/" + itoa64(theirs.ID) + "/void",
			"/admin/clients/" + itoa64(w.bela.ID) + "/passes/" + itoa64(cp.ID) + "/extend",
			"/admin/clients/" + itoa64(w.stranger.ID) + "/passes/" + itoa64(theirs.ID) + "/freeze",
			cpage + "/passes/999999/freeze",
			cpage + "/passes/x/freeze",
		} {
			r := c.post(path, url.Values{"days": {"7"}, "void_reason": {"x"}})
			if r.code != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, r.code)
			}
		}
		if n := passRows(t, db, (*booking.PassEntry)(nil)); n != allEntries {
			t.Errorf("refused ids wrote %d ledger rows", n-allEntries)
		}

		// Void: a reason is required; then the pass is voided for good.
		refused(c.post(base+"/void", url.Values{"void_reason": {""}}), http.StatusUnprocessableEntity, "void_reason", booking.MsgRequired)
		settingsDoneTo(t, c.post(base+"/void", url.Values{"void_reason": {"Refunded"}}), cpage+"?done=voided")
		entries++
		got = load()
		if !got.Voided() || got.Balance != 0 {
			t.Errorf("voided pass %+v", got)
		}
		p = c.get(cpage + "?done=voided")
		card := p.doc.Find("#pass-" + itoa64(cp.ID))
		if card.Find(".ga-pass__state").Text() != "Voided" || card.Find("details.ga-pass__change").Length() != 0 {
			t.Errorf("voided card: %q", card.Text())
		}
		refused(c.post(base+"/freeze", url.Values{}), http.StatusConflict, "state", "admin_passes_error_voided")
		refused(c.post(base+"/extend", url.Values{"days": {"7"}}), http.StatusConflict, "state", "admin_passes_error_voided")
	})
}

func TestAdminClientPassRoutesNeedSignIn(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		w := newPassWorld(t, e)
		cp := w.sell(t, e, e.f.Location.ID, w.anna.ID, w.yoga10.ID)
		anon := &adminClient{e: e, ip: "192.0.2.77"}
		base := "/admin/clients/" + itoa64(w.anna.ID) + "/passes"
		for _, path := range []string{base, base + "/" + itoa64(cp.ID) + "/freeze", base + "/" + itoa64(cp.ID) + "/void"} {
			if r := anon.post(path, url.Values{"void_reason": {"x"}}); r.code != http.StatusSeeOther || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/login") {
				t.Errorf("anonymous %s: %d", path, r.code)
			}
		}
		if n := passRows(t, db, (*booking.PassEntry)(nil)); n != 1 {
			t.Errorf("%d ledger rows, want the sale only", n)
		}
	})
}

func TestAdminClientNewForAPass(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		w := newPassWorld(t, e)
		c := e.signIn(staffEmail)
		if p := c.get("/admin/clients"); p.doc.Find(`#ga-client-new form[action="/admin/clients"]`).Length() != 1 {
			t.Fatal("no new client form on the clients page")
		}
		clients := passRows(t, db, (*booking.Client)(nil))
		for _, tc := range []struct{ field, value, msg string }{
			{"phone", "", booking.MsgRequired},
			{"phone", "123", booking.MsgInvalidPhone},
			{"first_name", " ", booking.MsgRequired},
		} {
			f := url.Values{"phone": {"+36 30 999 8888"}, "first_name": {"Nóra"}, "last_name": {"Kiss"}}
			f.Set(tc.field, tc.value)
			r := c.post("/admin/clients", f)
			settingsRefused(t, r, tc.field, settingsMsg(t, tc.msg))
			if r.doc.Find("#ga-client-new[open]").Length() != 1 {
				t.Errorf("%s: the refused form is not open", tc.field)
			}
			if n := passRows(t, db, (*booking.Client)(nil)); n != clients {
				t.Fatalf("%s: a refused form wrote a client", tc.field)
			}
		}
		r := c.post("/admin/clients", url.Values{"phone": {"06 30 999 8888"}, "first_name": {"Nóra"}, "last_name": {"Kiss"}})
		cl, err := e.f.Store.ClientByPhone(context.Background(), e.f.Location.ID, "+36309998888")
		if err != nil {
			t.Fatal(err)
		}
		settingsDoneTo(t, r, "/admin/clients/"+itoa64(cl.ID)+"?sell=1")
		if p := c.get("/admin/clients/" + itoa64(cl.ID) + "?sell=1"); p.doc.Find("#ga-sell[open] #gb-pass_type_id").Length() != 1 {
			t.Error("the new client's page does not open the sale form")
		}
		// A phone already on file opens that client; nobody is added.
		r = c.post("/admin/clients", url.Values{"phone": {"+36 20 123 4567"}, "first_name": {"Someone"}})
		settingsDoneTo(t, r, "/admin/clients/"+itoa64(w.anna.ID)+"?sell=1")
		if n := passRows(t, db, (*booking.Client)(nil)); n != clients+1 {
			t.Errorf("%d clients, want %d", n, clients+1)
		}
	})
}
