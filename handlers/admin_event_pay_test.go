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

func TestAdminEventPayments(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail)
		ctx := context.Background()
		st := e.f.Store
		reserve := func(n int, ev *booking.Event) booking.Booking {
			t.Helper()
			res, err := st.Reserve(ctx, booking.ReserveRequest{LocationID: e.f.Location.ID, EventIDs: []int64{ev.ID}, Seats: 1, Client: booktest.Client(n)})
			if err != nil {
				t.Fatal(err)
			}
			return res.Bookings[0]
		}
		third := reserve(3, e.yoga[0])
		annaPilates := reserve(1, e.pilates)
		bela := reserve(2, e.yoga[1])
		pt, err := st.CreatePassType(ctx, e.f.Location.ID, booking.PassTypeInput{
			Name: "10 Yoga classes", Kind: booking.PassVisits, Visits: 10, ValidityDays: 90, ValidFrom: booking.ValidFromSale,
			PriceMinor: 3000000, Currency: "HUF", ServiceIDs: []int64{e.f.Yoga.ID},
		})
		if err != nil {
			t.Fatal(err)
		}
		sell := func(clientID int64) *booking.ClientPass {
			t.Helper()
			cp, err := st.SellPass(ctx, booking.SellPassInput{LocationID: e.f.Location.ID, ClientID: clientID, PassTypeID: pt.ID, Method: booking.MethodCash, AmountMinor: pt.PriceMinor})
			if err != nil {
				t.Fatal(err)
			}
			return cp
		}
		annas, belas := sell(e.web.ClientID), sell(bela.ClientID)
		entries := func() int { return passRows(t, db, (*booking.PassEntry)(nil)) }
		balance := func(cp *booking.ClientPass) int {
			t.Helper()
			got, err := st.ClientPass(ctx, booking.PassRef{LocationID: cp.LocationID, ClientID: cp.ClientID, PassID: cp.ID})
			if err != nil {
				t.Fatal(err)
			}
			return got.Balance
		}
		row := func(p *page, b booking.Booking) *goqSel { return p.doc.Find("#booking-" + itoa64(b.ID)) }

		p := e.c.get(e.url(e.yoga[0]))
		settingsOK(t, p, "event window")
		if got := p.text("#gae-pay-totals"); got != "Paid: 0 · Unpaid: 3" {
			t.Errorf("totals %q", got)
		}
		web := row(p, e.web)
		if got := web.Find(".gae-pay__state").Text(); got != "Unpaid" {
			t.Errorf("web row payment %q", got)
		}
		if got := web.Find(`select[name=pass_id] option`).Text(); got != "10 Yoga classes · 10 visits left" {
			t.Errorf("passes offered %q", got)
		}
		sellLink := "/admin/clients/" + itoa64(e.web.ClientID) + "?sell=1&back=%2Fadmin%2Fevents%2F" + itoa64(e.yoga[0].ID) + "#ga-sell"
		if got := web.Find(".gae-pay__sell").AttrOr("href", ""); got != sellLink {
			t.Errorf("sell link %q, want %q", got, sellLink)
		}
		// The client page carries the way back in its sale form, and a sale
		// returns to the window; an address that is not an event window is
		// ignored.
		if cp := e.c.get(strings.TrimSuffix(sellLink, "#ga-sell")); cp.doc.Find(`#ga-sell input[name=back]`).AttrOr("value", "") != e.url(e.yoga[0]) {
			t.Error("the sale form does not carry the way back")
		}
		if cp := e.c.get("/admin/clients/" + itoa64(third.ClientID) + "?sell=1&back=https://evil.example/"); cp.doc.Find(`#ga-sell input[name=back]`).Length() != 0 {
			t.Error("a foreign back address is kept")
		}
		sale := url.Values{"pass_type_id": {itoa64(pt.ID)}, "start": {"2026-03-02"}, "method": {"free"}, "back": {e.url(e.yoga[0])}}
		settingsDoneTo(t, e.c.post("/admin/clients/"+itoa64(third.ClientID)+"/passes", sale), e.url(e.yoga[0])+"?done=granted")
		sale.Set("back", "//evil.example/admin/events/1")
		settingsDoneTo(t, e.c.post("/admin/clients/"+itoa64(third.ClientID)+"/passes", sale), "/admin/clients/"+itoa64(third.ClientID)+"?done=granted")
		if p := e.c.get(e.url(e.yoga[0], "?done=granted")); p.text(".gb-alert--success") != settingsMsg(t, "admin_passes_done_granted") {
			t.Errorf("the window after a sale: %q", p.text(".gb-alert--success"))
		}
		if row(p, third).Find(`select[name=pass_id]`).Length() != 0 {
			t.Error("a client without a pass is offered one")
		}
		// The sell link opens the client page with the sale form open.
		if cp := e.c.get("/admin/clients/" + itoa64(e.web.ClientID) + "?sell=1"); cp.doc.Find("#ga-sell[open]").Length() != 1 {
			t.Error("the sale form is not open")
		}

		// Pay Anna's 2-seat booking with her pass, through htmx.
		r := e.c.post(e.bookingURL(e.web, "pay-pass"), url.Values{"pass_id": {itoa64(annas.ID)}}, htmx...)
		if r.code != http.StatusOK || strings.Contains(r.body, "<html") {
			t.Fatalf("pay with pass: %d\n%s", r.code, r.body)
		}
		if got := row(r, e.web).Find(".gae-pay__state").Text(); got != "Paid by pass “10 Yoga classes”" {
			t.Errorf("after paying: %q", got)
		}
		if got := r.text(".gb-alert--success"); got != settingsMsg(t, "admin_passes_done_paid_pass") {
			t.Errorf("alert %q", got)
		}
		if got := r.text("#gae-pay-totals"); got != "Paid: 1 · Unpaid: 2" {
			t.Errorf("totals after paying %q", got)
		}
		if got := balance(annas); got != 8 {
			t.Errorf("balance %d after paying 2 seats, want 8", got)
		}
		if b := e.booking(e.web.ID); b.Payment != booking.PaymentPass || b.PassID != annas.ID {
			t.Errorf("booking payment %s pass %d", b.Payment, b.PassID)
		}

		n := entries()
		// Paid already: 409 at the row.
		r = e.c.post(e.bookingURL(e.web, "pay-pass"), url.Values{"pass_id": {itoa64(annas.ID)}}, htmx...)
		if r.code != http.StatusConflict || r.text("#gae-pay-"+itoa64(e.web.ID)+"-error") != settingsMsg(t, "admin_passes_error_paid") {
			t.Errorf("paying twice: %d %q", r.code, r.text("#gae-pay-"+itoa64(e.web.ID)+"-error"))
		}
		// Another client's pass, a pass id that is not a number: not found.
		for _, id := range []string{itoa64(belas.ID), "x", ""} {
			if r := e.c.post(e.bookingURL(e.kid, "pay-pass"), url.Values{"pass_id": {id}}); r.code != http.StatusNotFound {
				t.Errorf("pay with pass %q: %d, want 404", id, r.code)
			}
		}
		// A pass that does not cover Pilates.
		r = e.c.post(e.bookingURL(annaPilates, "pay-pass"), url.Values{"pass_id": {itoa64(annas.ID)}}, htmx...)
		if r.code != http.StatusUnprocessableEntity || r.text("#gae-pay-"+itoa64(annaPilates.ID)+"-error") != settingsMsg(t, "admin_passes_error_not_covering") {
			t.Errorf("pass for another service: %d %q", r.code, r.text(".gb-error"))
		}
		// Too few visits: the shortfall is named.
		if _, err := st.CorrectPass(ctx, booking.PassRef{LocationID: e.f.Location.ID, ClientID: annas.ClientID, PassID: annas.ID}, -8, "test", e.staff.ID); err != nil {
			t.Fatal(err)
		}
		n = entries()
		r = e.c.post(e.bookingURL(e.kid, "pay-pass"), url.Values{"pass_id": {itoa64(annas.ID)}}, htmx...)
		if r.code != http.StatusUnprocessableEntity || r.text("#gae-pay-"+itoa64(e.kid.ID)+"-error") != "0 visits left, 1 needed." {
			t.Errorf("shortfall: %d %q", r.code, r.text("#gae-pay-"+itoa64(e.kid.ID)+"-error"))
		}
		if got := entries(); got != n {
			t.Errorf("refusals wrote %d ledger rows", got-n)
		}
		if b := e.booking(e.kid.ID); b.Payment != booking.PaymentUnpaid {
			t.Errorf("a refused payment paid the kid's booking: %s", b.Payment)
		}

		// Mark paid at the desk, as a plain form: the service's price for
		// its seats, by card.
		r = e.c.post(e.bookingURL(e.kid, "paid"), url.Values{"method": {"card"}})
		if r.code != http.StatusSeeOther || !strings.HasPrefix(r.hdr.Get("Location"), e.url(e.yoga[0])+"?done=paid") {
			t.Fatalf("mark paid: %d to %q", r.code, r.hdr.Get("Location"))
		}
		if b := e.booking(e.kid.ID); b.Payment != booking.PaymentDesk || b.PaidMethod != "card" || b.PaidAmountMinor != 350000 || b.PaidCurrency != "HUF" || b.PaidByUserID != e.staff.ID {
			t.Errorf("desk payment %+v", b)
		}
		loc, _, _ := strings.Cut(r.hdr.Get("Location"), "#") // a browser keeps the fragment to itself
		p = e.c.get(loc)
		if got := row(p, e.kid).Find(".gae-pay__state").Text(); got != "Paid at the desk" {
			t.Errorf("kid row %q", got)
		}
		if got := p.text(".gb-alert--success"); got != settingsMsg(t, "admin_passes_done_paid") {
			t.Errorf("alert %q", got)
		}
		if got := p.text("#gae-pay-totals"); got != "Paid: 2 · Unpaid: 1" {
			t.Errorf("totals %q", got)
		}
		// A method that is not one: refused at the row, nothing paid.
		r = e.c.post(e.bookingURL(third, "paid"), url.Values{"method": {"bitcoin"}}, htmx...)
		if r.code != http.StatusUnprocessableEntity || r.text("#gae-pay-"+itoa64(third.ID)+"-error") != settingsMsg(t, booking.MsgInvalidPayMethod) {
			t.Errorf("bad method: %d %q", r.code, r.text(".gb-error"))
		}
		if b := e.booking(third.ID); b.Payment != booking.PaymentUnpaid {
			t.Errorf("a refused desk payment paid: %s", b.Payment)
		}

		// Free: owed nothing, no money recorded.
		settingsDoneTo(t, e.c.post(e.bookingURL(third, "paid"), url.Values{"method": {"free"}}), e.url(e.yoga[0])+"?done=paid")
		if b := e.booking(third.ID); b.Payment != booking.PaymentFree || b.PaidAmountMinor != 0 {
			t.Errorf("free: %s %d", b.Payment, b.PaidAmountMinor)
		}
		if got := row(e.c.get(e.url(e.yoga[0])), third).Find(".gae-pay__state").Text(); got != "Free" {
			t.Errorf("free row %q", got)
		}

		// Mark unpaid: the pass that paid gets its 2 visits back.
		r = e.c.post(e.bookingURL(e.web, "unpaid"), url.Values{}, htmx...)
		if r.code != http.StatusOK || row(r, e.web).Find(".gae-pay__state").Text() != "Unpaid" || r.text(".gb-alert--success") != settingsMsg(t, "admin_passes_done_unpaid") {
			t.Errorf("mark unpaid: %d %q", r.code, row(r, e.web).Find(".gae-pay__state").Text())
		}
		if got := balance(annas); got != 2 {
			t.Errorf("balance %d after taking back a 2-seat payment, want 2", got)
		}
		if b := e.booking(e.web.ID); b.Payment != booking.PaymentUnpaid || b.PassID != 0 {
			t.Errorf("after mark unpaid: %s pass %d", b.Payment, b.PassID)
		}
		e.invariant()
	})
}

func TestAdminEventPaymentsOtherLocation(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, ownerEmail)
		ctx := context.Background()
		o := newPassOtherStudio(t, e.adminEnv)
		tm, err := e.f.Store.CreateTeamMember(ctx, o.loc.ID, booking.TeamMemberInput{Name: "Coach", ServiceIDs: []int64{o.svc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		capacity := 5
		ev, err := e.f.Store.CreateEvent(ctx, o.loc.ID, booking.EventInput{ServiceID: o.svc.ID, TeamMemberID: tm.ID, StartsAt: e.yoga[0].StartsAt, Capacity: &capacity})
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: o.loc.ID, EventIDs: []int64{ev.ID}, Seats: 1, Client: booktest.Client(1)})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := e.f.Store.SellPass(ctx, booking.SellPassInput{LocationID: o.loc.ID, ClientID: res.Client.ID, PassTypeID: o.pt.ID, Free: true})
		if err != nil {
			t.Fatal(err)
		}
		n := passRows(t, db, (*booking.PassEntry)(nil))
		// Their pass on our booking, and our admin on their booking.
		for _, tc := range []struct{ path, pass string }{
			{e.bookingURL(e.kid, "pay-pass"), itoa64(theirs.ID)},
			{e.bookingURL(res.Bookings[0], "pay-pass"), itoa64(theirs.ID)},
			{e.bookingURL(res.Bookings[0], "paid"), ""},
		} {
			if r := e.c.post(tc.path, url.Values{"pass_id": {tc.pass}, "method": {"cash"}}); r.code != http.StatusNotFound {
				t.Errorf("%s with pass %s: %d, want 404", tc.path, tc.pass, r.code)
			}
		}
		if got := passRows(t, db, (*booking.PassEntry)(nil)); got != n {
			t.Errorf("refusals wrote %d ledger rows", got-n)
		}
		for _, id := range []int64{e.kid.ID, res.Bookings[0].ID} {
			if b := e.booking(id); b.Payment != booking.PaymentUnpaid {
				t.Errorf("booking %d paid by a refused request: %s", id, b.Payment)
			}
		}
	})
}

// A booking paid by a pass moves only to a date the pass is valid on; the
// move page says why not, with 422, and the booking stays.
func TestAdminEventMovePaidByPass(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail)
		ctx := context.Background()
		st := e.f.Store
		pt, err := st.CreatePassType(ctx, e.f.Location.ID, booking.PassTypeInput{
			Name: "Yoga 2 days", Kind: booking.PassVisits, Visits: 5, ValidityDays: 2, ValidFrom: booking.ValidFromSale,
			Currency: "HUF", ServiceIDs: []int64{e.f.Yoga.ID},
		})
		if err != nil {
			t.Fatal(err)
		}
		cl, err := st.EnsureClient(ctx, e.f.Location.ID, booktest.Client(5))
		if err != nil {
			t.Fatal(err)
		}
		cp, err := st.SellPass(ctx, booking.SellPassInput{LocationID: e.f.Location.ID, ClientID: cl.ID, PassTypeID: pt.ID, Free: true})
		if err != nil {
			t.Fatal(err)
		}
		res, err := st.Reserve(ctx, booking.ReserveRequest{LocationID: e.f.Location.ID, EventIDs: []int64{e.yoga[0].ID}, Seats: 1, Client: booktest.Client(5), PassID: cp.ID})
		if err != nil {
			t.Fatal(err)
		}
		b := res.Bookings[0]
		// Valid Mon 2 and Tue 3 March; the other Yoga class is on Wed 4.
		r := e.c.post(e.bookingURL(b, "move"), url.Values{"to": {itoa64(e.yoga[1].ID)}})
		if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.text(".gb-alert--error"), "Valid until Tue 3 Mar, not on Wed 4 Mar.") {
			t.Errorf("move past the pass's validity: %d %q", r.code, r.text(".gb-alert--error"))
		}
		if got := e.booking(b.ID); got.EventID != e.yoga[0].ID || got.Payment != booking.PaymentPass {
			t.Errorf("the refused move changed the booking: event %d, %s", got.EventID, got.Payment)
		}
		e.invariant()
	})
}
