package handlers

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestAdminRefundInBrowser: a staff member refunds a booking paid online
// from the event window in headless Chromium: the row reads "Paid online
// 7,000 HUF"; they open Refund, type 25, confirm the browser's question,
// and htmx swaps the list back with "Refund pending: 25 HUF" and the form
// now offering the 6,975 left; refunding that too leaves no Refund form.
// The ledger holds the two pending refunds with the staff member. Like
// TestAdminInBrowser it runs on SQLite only (the HTTP tests cover both
// databases) and fails on a console error or a CSP violation.
func TestAdminRefundInBrowser(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	e := newAdminEnvStripe(t, db)
	evs := e.f.YogaEvents(t, 1, 10)
	res, _ := adminPaidOnline(t, e, 1, 2, evs[0])
	bid := res.Bookings[0].ID
	en := adminEnL(t)

	srv := httptest.NewServer(e.router)
	defer srv.Close()
	problems := &browserProblems{}
	br := startBrowser(t, 2*time.Minute, problems.listener("admin-refund"))
	ctx := br.scenario(t, 60*time.Second, problems)
	a := &adminBrowser{t: t, tab: br.tab, ctx: ctx, dir: br.shots, start: time.Now(), last: time.Now(), problems: problems}
	defer a.finish()

	a.do("sign in", chromedp.EmulateViewport(adminViewportWidth, adminViewportHeight),
		chromedp.Navigate(srv.URL+"/admin/login"), chromedp.WaitVisible(chromedp.ID("ga-email")),
		chromedp.SendKeys(chromedp.ID("ga-email"), staffEmail), chromedp.SendKeys(chromedp.ID("ga-password"), adminPassword),
		chromedp.Click(chromedp.CSS(`.ga-login button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.ga-header .ga-user`)))
	win := eventURL(evs[0].ID)
	row := fmt.Sprintf("#booking-%d", bid)
	a.do("open the event window", chromedp.Navigate(srv.URL+win), chromedp.WaitVisible(chromedp.CSS(row)))
	nb := func(s string) string { return strings.ReplaceAll(s, "\u00a0", " ") }
	if got, want := a.text(row+" .gae-pay__state"), nb("Paid online "+en.Money(700000, "HUF")); got != want {
		t.Errorf("payment %q, want %q", got, want)
	}
	a.step("refund-paid-online")

	// The browser's confirm() is answered yes, and its question kept.
	a.do("answer confirm with yes", chromedp.Evaluate[chromedp.Void](`window.confirm = m => { window.gaAsked = m; return true; }; window.gaTestMark = 1`))
	input := fmt.Sprintf("gae-refund-%d", bid)
	a.do("open Refund", chromedp.Click(chromedp.CSS(row+" details.gae-refund summary")), chromedp.WaitVisible(chromedp.ID(input)))
	if got := adminEval[string](a, `document.getElementById('`+input+`').value`); got != "7000.00" {
		t.Errorf("the amount starts at %q, want all of it", got)
	}
	a.do("type 25", chromedp.SetValue(chromedp.ID(input), "25"))
	a.step("refund-form")
	a.do("refund 25", chromedp.Click(chromedp.CSS(row+" details.gae-refund button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(row+" .gae-online__line--pending")))
	a.sameDocument("refund", win)
	if got, want := a.text(row+" .gae-online__line--pending"), nb("Refund pending: "+en.Money(2500, "HUF")); got != want {
		t.Errorf("after refunding 25: %q, want %q", got, want)
	}
	if got := adminEval[string](a, `window.gaAsked || ''`); got != en.T("admin_payments_refund_confirm", map[string]any{"Name": "Anna"}) {
		t.Errorf("confirm asked %q", got)
	}
	if got := a.text("#gae-clients-wrap .gb-alert--success"); got != en.T("admin_payments_done_refund") {
		t.Errorf("alert %q", got)
	}
	if got := adminEval[string](a, `document.getElementById('`+input+`').value`); got != "6975.00" {
		t.Errorf("the amount left %q", got)
	}
	a.step("refund-pending")

	a.do("refund the rest", chromedp.Click(chromedp.CSS(row+" details.gae-refund summary")), chromedp.WaitVisible(chromedp.ID(input)),
		chromedp.Click(chromedp.CSS(row+" details.gae-refund button[type=submit]")),
		chromedp.WaitNotPresent(chromedp.CSS(row+" details.gae-refund")))
	if got, want := a.text(row+" .gae-online__line--pending"), nb("Refund pending: "+en.Money(700000, "HUF")); got != want {
		t.Errorf("after refunding the rest: %q, want %q", got, want)
	}
	a.step("refund-all")

	refunds := adminRefundEntries(t, db, bid)
	if len(refunds) != 2 || refunds[0].AmountMinor != 2500 || refunds[1].AmountMinor != 697500 ||
		refunds[0].StaffUserID != e.staff.ID || refunds[1].Status != booking.EntryPending {
		t.Errorf("ledger %+v", refunds)
	}
}
