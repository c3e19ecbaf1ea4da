package handlers

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// paymentsFixture is a day of money: a booking paid online (2 seats,
// 7000 HUF) with a staff refund of 20 HUF, a booking paid in cash
// (3500 HUF), and a held group whose payment came with a wrong amount.
type paymentsFixture struct {
	online, cash *booking.Reservation
	refund       *booking.PaymentEntry
}

func seedPayments(t *testing.T, e *adminEnv) paymentsFixture {
	t.Helper()
	ctx := context.Background()
	evs := e.f.YogaEvents(t, 1, 10)
	var pf paymentsFixture
	pf.online, _ = adminPaidOnline(t, e, 1, 2, evs[0])
	var err error
	if pf.refund, err = e.f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: e.f.Location.ID, BookingID: pf.online.Bookings[0].ID, AmountMinor: 2000, StaffUserID: e.owner.ID}); err != nil {
		t.Fatal(err)
	}
	if pf.cash, err = e.f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: e.f.Location.ID, Link: e.f.Link, EventIDs: []int64{evs[0].ID}, Seats: 1,
		Client: booking.ClientInput{Phone: "+36201234999", FirstName: "=HYPERLINK(\"x\")", LastName: "Evil"}, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.f.Store.MarkPaidAtDesk(ctx, booking.DeskPayment{LocationID: e.f.Location.ID, BookingID: pf.cash.Bookings[0].ID, Method: booking.MethodCash, AmountMinor: 350000, StaffUserID: e.staff.ID}); err != nil {
		t.Fatal(err)
	}
	_, fco := adminHeldOnline(t, e, 3, 1, evs[0])
	if out, err := e.f.Store.ApplyStripeEvent(ctx, booking.StripeEvent{
		ID: "evt_pay_mismatch", Type: booking.StripeSessionCompleted, SessionID: fco.Payment.SessionID,
		PaymentIntent: "pi_pay_mismatch", PaymentStatus: "paid", AmountTotal: fco.Payment.AmountMinor, Currency: "eur", PaymentID: fco.Payment.ID,
	}); err != nil || out.Result != booking.StripeMismatch {
		t.Fatalf("mismatch: %+v %v", out, err)
	}
	return pf
}

func paymentsRows(p *page) []string {
	var out []string
	p.doc.Find("#ga-pay-list tbody tr").Each(func(_ int, s *goquery.Selection) {
		var cells []string
		s.Find("td").Each(func(i int, td *goquery.Selection) {
			if i > 0 && i < 6 {
				cells = append(cells, strings.Join(strings.Fields(td.Text()), " "))
			}
		})
		out = append(out, strings.Join(cells, " | "))
	})
	return out
}

// TestAdminPaymentsPage: owners only (and only they see the nav entry);
// the list filters by dates, method and status; flagged payments and
// failed refunds are announced and a failed refund can be retried; the
// net per currency counts only money that moved.
func TestAdminPaymentsPage(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnvStripe(t, db)
		ctx := context.Background()
		pf := seedPayments(t, e)

		staff := e.signIn(staffEmail)
		if r := staff.get("/admin/payments"); r.code != http.StatusForbidden {
			t.Errorf("staff on Payments: %d", r.code)
		}
		if r := staff.get("/admin/payments/export.csv"); r.code != http.StatusForbidden {
			t.Errorf("staff on the CSV: %d", r.code)
		}
		if staff.get("/admin").doc.Find(`.ga-nav a[href="/admin/payments"]`).Length() != 0 {
			t.Error("staff see the Payments entry")
		}
		c := e.signIn(ownerEmail)
		p := c.get("/admin/payments")
		if p.code != 200 || p.doc.Find(`.ga-nav a[href="/admin/payments"][aria-current=page]`).Length() != 1 {
			t.Fatalf("payments page: %d", p.code)
		}
		if got := p.text("#ga-pay-webhook"); got != testBaseURL+"/hooks/stripe" {
			t.Errorf("webhook URL %q", got)
		}
		if got := p.text(".ga-pay-events"); !strings.Contains(got, "checkout.session.completed") || !strings.Contains(got, "checkout.session.async_payment_succeeded") || !strings.Contains(got, "checkout.session.expired") {
			t.Errorf("events %q", got)
		}
		rows := paymentsRows(p)
		if len(rows) != 4 {
			t.Fatalf("rows %q", rows)
		}
		all := strings.Join(rows, "\n")
		for _, want := range []string{"Refund · Online (Stripe) | -20 HUF | Pending", "Payment · Online (Stripe) | 7,000 HUF | Done", "Payment · Cash | 3,500 HUF | Done", "Flagged"} {
			if !strings.Contains(all, want) {
				t.Errorf("no %q in\n%s", want, all)
			}
		}
		if got := p.text("#ga-pay-totals"); got != "Net for these rows: 10,500 HUF" {
			t.Errorf("totals %q", got)
		}
		if got := p.text("#ga-pay-attention"); !strings.Contains(got, "1 payment did not match") || strings.Contains(got, "refund") {
			t.Errorf("attention %q", got)
		}

		for q, want := range map[string]int{
			"method=online": 3, "method=cash": 1, "method=card": 0, "status=refund_pending": 1, "status=paid": 2,
			"status=flagged": 1, "status=paid&method=cash": 1, "from=2026-02-01&to=2026-02-28": 0, "method=bogus": 4,
		} {
			r := c.get("/admin/payments?" + q)
			if got := len(paymentsRows(r)); r.code != 200 || got != want {
				t.Errorf("%s: %d rows (%d), want %d", q, got, r.code, want)
			}
			if want == 0 && r.text("#ga-pay-empty") == "" {
				t.Errorf("%s: no empty message", q)
			}
		}
		if r := c.get("/admin/payments?from=2026-03-05&to=2026-03-01"); !strings.Contains(r.text(".gb-alert--error"), "can’t be shown") || len(paymentsRows(r)) != 4 {
			t.Errorf("upside-down range: %q, %d rows", r.text(".gb-alert"), len(paymentsRows(r)))
		}
		if got := c.get("/admin/payments?method=cash&status=paid").doc.Find("#ga-pay-csv").AttrOr("href", ""); got != "/admin/payments/export.csv?from=2026-02-01&method=cash&status=paid&to=2026-03-02" {
			t.Errorf("CSV link %q", got)
		}

		// A refund that kept failing: announced, listed with Retry.
		if err := e.f.Store.RefundFailed(ctx, pf.refund.ID, "card_declined"); err != nil {
			t.Fatal(err)
		}
		p = c.get("/admin/payments")
		if got := p.text("#ga-pay-attention"); !strings.Contains(got, "1 refund kept failing") {
			t.Errorf("attention %q", got)
		}
		retry := p.doc.Find(`#ga-pay-list tr[data-entry="`+idString(pf.refund.ID)+`"] form`).AttrOr("action", "")
		if retry != "/admin/payments/refunds/"+idString(pf.refund.ID)+"/retry" {
			t.Fatalf("retry action %q", retry)
		}
		if r := c.post("/admin/payments/refunds/999999/retry", url.Values{}); r.code != http.StatusNotFound {
			t.Errorf("retry of an unknown refund: %d", r.code)
		}
		r := c.post(retry, url.Values{})
		if r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/admin/payments?done=retried" {
			t.Fatalf("retry: %d %q", r.code, r.hdr.Get("Location"))
		}
		if got := adminRefundEntries(t, db, pf.online.Bookings[0].ID)[0].Status; got != booking.EntryPending {
			t.Errorf("retried refund is %s", got)
		}
		p = c.get("/admin/payments?done=retried")
		if !strings.Contains(p.text(".gb-alert--success"), "sent to Stripe again") || p.text("#ga-pay-attention") == "1 refund kept failing" {
			t.Errorf("after retry: %q / %q", p.text(".gb-alert"), p.text("#ga-pay-attention"))
		}
		// A refund not failed cannot be "retried" into a second job.
		if r := c.post(retry, url.Values{}); r.code != http.StatusNotFound {
			t.Errorf("retry of a pending refund: %d", r.code)
		}

		// The flagged payment: staff refund it in full, once.
		p = c.get("/admin/payments?status=flagged")
		flagged := p.doc.Find("#ga-pay-list tr.ga-pay-row--attention")
		refundFlagged := flagged.Find(`form[action$="/refund"]`).AttrOr("action", "")
		if flagged.Length() != 1 || refundFlagged != "/admin/payments/flagged/"+flagged.AttrOr("data-entry", "")+"/refund" {
			t.Fatalf("flagged row's refund %q", refundFlagged)
		}
		// A paid charge that is not flagged, and a refund row, are not
		// flagged payments.
		charges, _ := e.f.Store.Payments(ctx, booking.PaymentFilter{LocationID: e.f.Location.ID, To: e.f.Now.AddDate(0, 0, 1), Status: "paid", Method: "online"})
		if len(charges) != 1 {
			t.Fatalf("paid online charges %+v", charges)
		}
		for _, id := range []int64{charges[0].EntryID, pf.refund.ID, 999999} {
			if r := c.post("/admin/payments/flagged/"+idString(id)+"/refund", url.Values{}); r.code != http.StatusNotFound {
				t.Errorf("refund of entry %d as flagged: %d", id, r.code)
			}
		}
		r = c.post(refundFlagged, url.Values{})
		if r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/admin/payments?done=flagged_refunded" {
			t.Fatalf("refund flagged: %d %q", r.code, r.hdr.Get("Location"))
		}
		refunds, _ := e.f.Store.Payments(ctx, booking.PaymentFilter{LocationID: e.f.Location.ID, To: e.f.Now.AddDate(0, 0, 1), Status: "refund_pending"})
		var eur []booking.PaymentRow
		for _, rr := range refunds {
			if rr.Currency == "EUR" {
				eur = append(eur, rr)
			}
		}
		if len(eur) != 1 || eur[0].AmountMinor != 350000 || eur[0].Reason != booking.RefundStaff {
			t.Errorf("flagged refund rows %+v", eur)
		}
		if r := c.post(refundFlagged, url.Values{}); r.hdr.Get("Location") != "/admin/payments?done=flagged_refunded_before" {
			t.Errorf("second refund of the flagged payment: %d %q", r.code, r.hdr.Get("Location"))
		}
		p = c.get("/admin/payments?done=flagged_refunded")
		if got := p.text(".gb-alert--success"); got != "The flagged payment is being refunded in full." {
			t.Errorf("after refunding the flagged payment: %q", got)
		}
		if got := p.text("#ga-pay-attention"); strings.Contains(got, "did not match") {
			t.Errorf("a refunded flagged payment is still announced: %q", got)
		}
		if p.doc.Find(`#ga-pay-list form[action^="/admin/payments/flagged/"]`).Length() != 0 {
			t.Error("a refunded flagged payment still offers a refund")
		}
		// A failed refund of it leaves it waiting for staff again.
		if err := e.f.Store.RefundFailed(ctx, eur[0].EntryID, "expired_card"); err != nil {
			t.Fatal(err)
		}
		p = c.get("/admin/payments")
		if !strings.Contains(p.text("#ga-pay-attention"), "1 payment did not match") || p.doc.Find(`#ga-pay-list form[action="`+refundFlagged+`"]`).Length() != 1 {
			t.Errorf("flagged payment whose refund failed: %q", p.text("#ga-pay-attention"))
		}
	})
}

// TestAdminPaymentsCSV: the export follows the page's filter, is a file
// download, quotes and defuses what clients typed.
func TestAdminPaymentsCSV(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnvStripe(t, db)
		seedPayments(t, e)
		c := e.signIn(ownerEmail)
		r := c.get("/admin/payments/export.csv?from=2026-03-01&to=2026-03-02")
		if r.code != 200 || !strings.HasPrefix(r.hdr.Get("Content-Type"), "text/csv") ||
			r.hdr.Get("Content-Disposition") != `attachment; filename="payments-2026-03-01-2026-03-02.csv"` {
			t.Fatalf("csv: %d %q %q", r.code, r.hdr.Get("Content-Type"), r.hdr.Get("Content-Disposition"))
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\ufeff"))).ReadAll()
		if err != nil || len(recs) != 5 {
			t.Fatalf("%d records, %v\n%s", len(recs), err, r.body)
		}
		var amounts []string
		for _, rec := range recs[1:] {
			amounts = append(amounts, rec[4]+" "+rec[5]+" "+rec[3])
			if rec[6] == `=HYPERLINK("x") Evil` {
				t.Error("a formula went into the CSV as it was typed")
			}
		}
		got := strings.Join(amounts, ", ")
		for _, want := range []string{"7000.00 HUF Done", "-20.00 HUF Pending", "3500.00 HUF Done", "Flagged"} {
			if !strings.Contains(got, want) {
				t.Errorf("no %q in %q", want, got)
			}
		}
		if !strings.Contains(r.body, `'=HYPERLINK(""x"") Evil`) {
			t.Errorf("the client's name is not defused and quoted:\n%s", r.body)
		}
		cash := c.get("/admin/payments/export.csv?from=2026-03-01&to=2026-03-02&method=cash")
		if recs, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(cash.body, "\ufeff"))).ReadAll(); len(recs) != 2 || recs[1][4] != "3500.00" {
			t.Errorf("cash only: %q", recs)
		}
	})
}

// TestAdminPaymentsSettings: online payment on or off with the reason;
// the hold minutes and the refund choice save; a hold out of 5..60 or not
// a number is refused at its field with what was typed, nothing saved.
func TestAdminPaymentsSettings(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		off := newAdminEnv(t, db)
		c := off.signIn(ownerEmail)
		p := c.get("/admin/payments")
		if p.code != 200 || !strings.Contains(p.text("#ga-pay-off-why"), "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are not set") || p.text("#ga-pay-webhook") != "" {
			t.Errorf("without Stripe: %d %q", p.code, p.text("#ga-pay-online"))
		}
		if got := p.doc.Find("#gb-payment_hold_min").AttrOr("value", ""); got != "15" {
			t.Errorf("hold shown as %q", got)
		}
		if _, on := p.doc.Find("#gb-refund_on_client_cancel").Attr("checked"); !on {
			t.Error("refund on client cancel is not on by default")
		}
		for _, bad := range []string{"4", "61", "abc", ""} {
			r := c.post("/admin/payments/settings", url.Values{"payment_hold_min": {bad}})
			if r.code != http.StatusUnprocessableEntity {
				t.Errorf("hold %q: %d", bad, r.code)
			}
			if got := r.text("#gb-payment_hold_min-error"); got != "Enter a whole number of minutes from 5 to 60." {
				t.Errorf("hold %q: error %q", bad, got)
			}
			if got := r.doc.Find("#gb-payment_hold_min").AttrOr("value", "x"); got != bad {
				t.Errorf("hold %q shown back as %q", bad, got)
			}
		}
		loc, err := off.f.Store.Location(context.Background(), off.f.Location.ID)
		if err != nil || loc.PaymentHoldMin != 15 || !loc.RefundOnClientCancel {
			t.Fatalf("a refused save changed the location: %+v %v", loc, err)
		}
		r := c.post("/admin/payments/settings", url.Values{"payment_hold_min": {"30"}})
		if r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/admin/payments?done=saved" {
			t.Fatalf("save: %d %q", r.code, r.hdr.Get("Location"))
		}
		loc, _ = off.f.Store.Location(context.Background(), off.f.Location.ID)
		if loc.PaymentHoldMin != 30 || loc.RefundOnClientCancel {
			t.Errorf("saved %d %v", loc.PaymentHoldMin, loc.RefundOnClientCancel)
		}
		p = c.get("/admin/payments?done=saved")
		if _, on := p.doc.Find("#gb-refund_on_client_cancel").Attr("checked"); on || p.doc.Find("#gb-payment_hold_min").AttrOr("value", "") != "30" ||
			p.text(".gb-alert--success") != "Saved." {
			t.Errorf("after saving: %q", p.text(".gb-alert"))
		}
		// Refund actions need Stripe: refused, nothing changed.
		for _, path := range []string{"/admin/payments/refunds/1/retry", "/admin/payments/flagged/1/refund"} {
			if r := c.post(path, url.Values{}); r.code != http.StatusConflict || !strings.Contains(r.text(".gb-alert--error"), "Refunds need online payment") {
				t.Errorf("%s with Stripe off: %d %q", path, r.code, r.text(".gb-alert"))
			}
		}
		if staff := off.signIn(staffEmail); staff.post("/admin/payments/settings", url.Values{"payment_hold_min": {"20"}}).code != http.StatusForbidden {
			t.Error("staff changed the payment settings")
		}
	})
}
