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

// enL is the English localizer the admin shows (the location's default).
func adminEnL(t *testing.T) *locales.Localizer {
	t.Helper()
	b, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	return b.Localizer("en")
}

func adminRefundEntries(t *testing.T, db *bun.DB, bookingID int64) []booking.PaymentEntry {
	t.Helper()
	var out []booking.PaymentEntry
	if err := db.NewSelect().Model(&out).Where("booking_id = ? AND kind = ?", bookingID, booking.EntryRefund).Order("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAdminEventOnlinePayment: the event window shows a booking paid
// online with its amount, one held with until when, one whose payment was
// flagged; staff refund part of a payment (htmx) and the rest (plain
// form), each a pending ledger row with its job and the staff member;
// an amount too large or not a number is refused at the row with nothing
// written; a failed refund shows with Retry, which sends it again.
func TestAdminEventOnlinePayment(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnvStripe(t, db)
		ctx := context.Background()
		L := adminEnL(t)
		// Pages are read as text with white space folded.
		money := func(minor int64) string { return strings.ReplaceAll(L.Money(minor, "HUF"), "\u00a0", " ") }
		evs := e.f.YogaEvents(t, 1, 10)
		paid, co := adminPaidOnline(t, e, 1, 2, evs[0])
		held, _ := adminHeldOnline(t, e, 2, 1, evs[0])
		flagged, fco := adminHeldOnline(t, e, 3, 1, evs[0])
		if out, err := e.f.Store.ApplyStripeEvent(ctx, booking.StripeEvent{
			ID: "evt_admin_mismatch", Type: booking.StripeSessionCompleted, SessionID: fco.Payment.SessionID,
			PaymentIntent: "pi_admin_mismatch", PaymentStatus: "paid", AmountTotal: fco.Payment.AmountMinor - 100,
			Currency: strings.ToLower(fco.Payment.Currency), PaymentID: fco.Payment.ID,
		}); err != nil || out.Result != booking.StripeMismatch {
			t.Fatalf("mismatch: %+v %v", out, err)
		}
		bid, heldID, flaggedID := paid.Bookings[0].ID, held.Bookings[0].ID, flagged.Bookings[0].ID
		c := e.signIn(staffEmail)
		win := eventURL(evs[0].ID)
		row := func(_ *page, id int64) string { return "#booking-" + idString(id) }

		p := c.get(win)
		if p.code != 200 {
			t.Fatalf("window: %d", p.code)
		}
		if got, want := p.text(row(p, bid)+" .gae-pay__state"), "Paid online "+money(co.Payment.AmountMinor); got != want {
			t.Errorf("paid row: %q, want %q", got, want)
		}
		until := L.Clock(e.f.Now.Add(time.Duration(e.f.Location.PaymentHoldMin) * time.Minute).In(e.f.Location.Zone()))
		if e.f.Location.PaymentHoldMin == 0 {
			until = L.Clock(e.f.Now.Add(booking.DefaultPaymentHoldMin * time.Minute).In(e.f.Location.Zone()))
		}
		if got := p.text("#gae-pay-online"); got != "Paid online: "+money(co.Payment.AmountMinor) {
			t.Errorf("online total %q", got)
		}
		if got := p.text(row(p, heldID) + " .gae-pay__state"); got != "Awaiting payment until "+until {
			t.Errorf("held row: %q, want until %s", got, until)
		}
		if got := p.text(row(p, flaggedID) + " .gae-pay__state"); !strings.Contains(got, "flagged") {
			t.Errorf("flagged row: %q", got)
		}
		// Only the paid row can be refunded; no row paid or held online
		// offers "mark unpaid" or the desk's forms.
		if got := p.doc.Find(row(p, bid)+` form[action$="/refund"] input[name=amount]`).AttrOr("value", ""); got != "7000.00" {
			t.Errorf("refund default %q, want all of 7000.00", got)
		}
		for _, id := range []int64{heldID, flaggedID, bid} {
			if n := p.doc.Find(row(p, id) + ` form[action$="/unpaid"], ` + row(p, id) + ` form[action$="/paid"]`).Length(); n != 0 {
				t.Errorf("booking %d offers desk payment actions", id)
			}
		}
		if p.doc.Find(row(p, heldID)+` form[action$="/refund"]`).Length() != 0 {
			t.Error("a held booking offers a refund")
		}

		refundURL := win + "/bookings/" + idString(bid) + "/refund"
		// Refused amounts: nothing written, the message at the row.
		for amount, want := range map[string]string{
			"7000.01": L.T("admin_payments_error_refund_too_much", map[string]any{"Amount": money(700000)}),
			"abc":     L.T("admin_payments_error_refund_amount"),
			"-5":      L.T("admin_payments_error_refund_amount"),
		} {
			r := c.post(refundURL, url.Values{"amount": {amount}}, "HX-Request", "true")
			if r.code != http.StatusUnprocessableEntity {
				t.Errorf("refund %q: %d", amount, r.code)
			}
			if got := r.text("#gae-refund-" + idString(bid) + "-error"); got != want {
				t.Errorf("refund %q: error %q, want %q", amount, got, want)
			}
		}
		if n := len(adminRefundEntries(t, db, bid)); n != 0 {
			t.Fatalf("%d refunds written by refused requests", n)
		}

		// A part, with htmx: the list comes back with the refund pending.
		r := c.post(refundURL, url.Values{"amount": {"20,00"}}, "HX-Request", "true")
		if r.code != 200 || !strings.Contains(r.text(".gb-alert--success"), "on its way") {
			t.Fatalf("refund 20: %d %q", r.code, r.text(".gb-alert"))
		}
		if got := r.text(row(r, bid) + " .gae-online__line--pending"); got != "Refund pending: "+money(2000) {
			t.Errorf("after a part: %q", got)
		}
		if got := r.doc.Find(row(r, bid)+` input[name=amount]`).AttrOr("value", ""); got != "6980.00" {
			t.Errorf("refund default after a part: %q", got)
		}
		refunds := adminRefundEntries(t, db, bid)
		if len(refunds) != 1 || refunds[0].AmountMinor != 2000 || refunds[0].Status != booking.EntryPending ||
			refunds[0].Reason != booking.RefundStaff || refunds[0].StaffUserID != e.staff.ID || refunds[0].Currency != "HUF" {
			t.Fatalf("refund rows %+v", refunds)
		}
		if j, err := e.f.Store.JobByKey(ctx, "refund:"+idString(refunds[0].ID)); err != nil || j.Status != booking.JobPending {
			t.Errorf("the refund's job: %+v %v", j, err)
		}

		// The rest, with a plain form and an empty amount: everything left.
		r = c.post(refundURL, url.Values{"amount": {""}})
		if r.code != http.StatusSeeOther || !strings.Contains(r.hdr.Get("Location"), "done=refund") {
			t.Fatalf("refund the rest: %d %q", r.code, r.hdr.Get("Location"))
		}
		refunds = adminRefundEntries(t, db, bid)
		if len(refunds) != 2 || refunds[1].AmountMinor != 698000 {
			t.Fatalf("after refunding the rest: %+v", refunds)
		}
		loc, _, _ := strings.Cut(r.hdr.Get("Location"), "#") // a browser keeps the fragment to itself
		p = c.get(loc)
		if !strings.Contains(p.text(".gb-alert--success"), "on its way") {
			t.Errorf("no confirmation: %q", p.text(".gb-alert"))
		}
		if p.doc.Find(row(p, bid)+` form[action$="/refund"]`).Length() != 0 {
			t.Error("a refund is still offered with nothing left")
		}
		if r := c.post(refundURL, url.Values{"amount": {"1"}}, "HX-Request", "true"); r.code != http.StatusUnprocessableEntity ||
			!strings.Contains(r.text("#gae-refund-"+idString(bid)+"-error"), "At most") {
			t.Errorf("refund with nothing left: %d %q", r.code, r.text(".gb-error"))
		}

		// A refund that kept failing: shown, and Retry sends it again.
		if err := e.f.Store.RefundFailed(ctx, refunds[0].ID, "card_declined"); err != nil {
			t.Fatal(err)
		}
		p = c.get(win)
		failed := p.doc.Find(row(p, bid) + " .gae-online__failed")
		if failed.Length() != 1 || !strings.Contains(failed.Text(), "Refund failed: "+L.Money(2000, "HUF")) {
			t.Fatalf("failed refund not shown: %q", failed.Text())
		}
		retry := failed.AttrOr("action", "")
		if retry != win+"/bookings/"+idString(bid)+"/refunds/"+idString(refunds[0].ID)+"/retry" {
			t.Fatalf("retry action %q", retry)
		}
		// Another booking's refund id is not this row's to retry.
		if r := c.post(win+"/bookings/"+idString(heldID)+"/refunds/"+idString(refunds[0].ID)+"/retry", url.Values{}); r.code != http.StatusNotFound {
			t.Errorf("retry through another booking: %d", r.code)
		}
		if r := c.post(retry, url.Values{}, "HX-Request", "true"); r.code != 200 || r.text(row(r, bid)+" .gae-online__failed") != "" {
			t.Errorf("retry: %d, failed still shown %q", r.code, r.text(row(r, bid)+" .gae-online__failed"))
		}
		if got := adminRefundEntries(t, db, bid)[0].Status; got != booking.EntryPending {
			t.Errorf("retried refund is %s", got)
		}

		// A booking paid at the desk is not refunded online.
		desk, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: e.f.Location.ID, Link: e.f.Link, EventIDs: []int64{evs[0].ID}, Seats: 1, Client: booktest.Client(4), Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if r := c.post(win+"/bookings/"+idString(desk.Bookings[0].ID)+"/refund", url.Values{"amount": {"1"}}, "HX-Request", "true"); r.code != http.StatusConflict ||
			!strings.Contains(r.text(".gb-alert--error"), "not paid online") {
			t.Errorf("refund of an unpaid booking: %d %q", r.code, r.text(".gb-alert"))
		}
	})
}

// TestAdminEventRefundStripeOff: a booking paid online while Stripe is no
// longer configured still shows its payment, but no Refund form (a refund
// could not be sent): the row says refunds need online payment on.
func TestAdminEventRefundStripeOff(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		evs := e.f.YogaEvents(t, 1, 10)
		res, _ := adminPaidOnline(t, e, 1, 1, evs[0])
		row := "#booking-" + idString(res.Bookings[0].ID)
		p := e.signIn(staffEmail).get(eventURL(evs[0].ID))
		if !strings.HasPrefix(p.text(row+" .gae-pay__state"), "Paid online") {
			t.Errorf("payment %q", p.text(row+" .gae-pay__state"))
		}
		if p.doc.Find(row+` form[action$="/refund"]`).Length() != 0 {
			t.Error("a refund is offered with Stripe off")
		}
		if got := p.text(row + " .gae-online .gb-hint"); got != "Refunds need online payment to be on." {
			t.Errorf("hint %q", got)
		}
		// Posted by hand, it is refused and nothing is queued.
		c := e.signIn(staffEmail)
		r := c.post(eventURL(evs[0].ID)+"/bookings/"+idString(res.Bookings[0].ID)+"/refund", url.Values{"amount": {"1"}}, "HX-Request", "true")
		if r.code != http.StatusConflict || !strings.Contains(r.text(".gb-alert--error"), "Refunds need online payment") {
			t.Errorf("refund with Stripe off: %d %q", r.code, r.text(".gb-alert"))
		}
		if n := len(adminRefundEntries(t, db, res.Bookings[0].ID)); n != 0 {
			t.Errorf("%d refunds queued with Stripe off", n)
		}
	})
}

// TestAdminEventCancelledRefund: a client who cancels a booking paid
// online in time is refunded by the core; the window lists the booking
// among the cancelled ones with its refund pending.
func TestAdminEventCancelledRefund(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnvStripe(t, db)
		evs := e.f.YogaEvents(t, 1, 10)
		res, co := adminPaidOnline(t, e, 1, 1, evs[0])
		if _, err := e.f.Store.CancelByClient(context.Background(), res.Group.Token, res.Bookings[0].ID, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		p := e.signIn(staffEmail).get(eventURL(evs[0].ID))
		cancelled := p.doc.Find(".gae-row--cancelled")
		want := strings.ReplaceAll("Refund pending: "+adminEnL(t).Money(co.Payment.AmountMinor, co.Payment.Currency), "\u00a0", " ")
		if cancelled.Length() != 1 || !strings.Contains(strings.Join(strings.Fields(cancelled.Text()), " "), want) {
			t.Errorf("cancelled row %q, want %q in it", strings.Join(strings.Fields(cancelled.Text()), " "), want)
		}
	})
}
