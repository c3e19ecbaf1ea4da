package handlers

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestWidgetPassInBrowser books three dates of two seats with a pass in
// the embedded widget, in headless Chromium: after the SMS code the
// payment step offers "Use my pass (10 visits left)", and the
// confirmation shows the balance dropped by 3 dates × 2 seats. Like
// TestWidgetInBrowser it frames the widget cross-site, fails on any
// console error or CSP violation, and checks every step is swapped in by
// htmx and fits its frame. SQLite only, for the same reason.
func TestWidgetPassInBrowser(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	e := newWidgetEnv(t, db)
	smsLink(t, e)
	evs := tueThuYoga(t, e, 10)
	client := widgetClient(t, e, verifyPhone)
	pass := givePass(t, e, client, 10, nil)
	picked := []booking.Event{evs[0], evs[1], evs[2]}

	widgetSrv := httptest.NewServer(e.router)
	defer widgetSrv.Close()
	widgetOrigin := strings.Replace(widgetSrv.URL, "127.0.0.1", "localhost", 1)
	hostSrv := httptest.NewServer(hostPage(widgetOrigin))
	defer hostSrv.Close()
	link, err := e.f.Store.Link(context.Background(), e.f.Link.ID)
	if err != nil {
		t.Fatal(err)
	}
	link.AllowedOrigins = hostSrv.URL
	if err := e.f.Store.SaveLink(context.Background(), link); err != nil {
		t.Fatal(err)
	}

	problems := &browserProblems{}
	br := startBrowser(t, 3*time.Minute, problems.listener("host page"))
	ctx := br.scenario(t, 60*time.Second, problems)
	b := &browserRun{t: t, tab: br.tab, ctx: ctx, dir: br.shots, start: time.Now(), last: time.Now(), problems: problems}
	defer b.finish()

	b.host(chromedp.EmulateViewport(viewportWidth, viewportHeight), chromedp.Navigate(hostSrv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("iframe.groupbook-frame")))
	b.attachFrame(widgetOrigin + "/w/sunrise?")
	b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-events a")))
	b.frame(chromedp.Evaluate[chromedp.Void](`window.gbTestMark = 1`))

	// The event, two more dates, two seats.
	b.frame(chromedp.Click(chromedp.CSS(fmt.Sprintf(`.gb-events a[href*="/w/sunrise/e/%d?"]`, picked[0].ID))))
	b.frame(chromedp.WaitVisible(chromedp.CSS("fieldset.gb-another")))
	b.settled("event", true)
	for _, ev := range picked[1:] {
		b.frame(chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=also][value="%d"]`, ev.ID))))
	}
	b.frame(chromedp.Click(chromedp.CSS(`.gb-stepper [data-gb-step="1"]`)))

	// Contact, with the price of 3 dates × 2 seats.
	b.frame(chromedp.Click(chromedp.CSS(`form.gb-select > button[type=submit]:not([name])`)))
	b.frame(chromedp.WaitVisible(chromedp.ID("gb-first_name")))
	b.settled("contact", true)
	if got := evalFrame[string](b, `document.querySelector('[data-gb-price]').textContent.replaceAll('\u00a0', ' ')`); got != "Total: 21,000 HUF (3 dates × 2 seats × 3,500 HUF)" {
		t.Errorf("price line %q", got)
	}
	if n := evalFrame[int](b, `document.querySelectorAll('input[name=pay]').length`); n != 0 {
		t.Error("a pass is offered before the phone is confirmed")
	}
	b.frame(
		chromedp.SendKeys(chromedp.ID("gb-first_name"), "Anna"),
		chromedp.SendKeys(chromedp.ID("gb-last_name"), "Kovács"),
		chromedp.SendKeys(chromedp.ID("gb-phone"), "+36 20 123 4567"),
	)
	b.snap("pass-contact")
	b.frame(chromedp.Click(chromedp.Search(`//form[contains(@class,"gb-contact")]//button[@type="submit"][normalize-space()="Confirm booking"]`)))

	// The code.
	b.frame(chromedp.WaitVisible(chromedp.ID("gb-code")))
	b.settled("code", true)
	if strings.Contains(evalFrame[string](b, `document.body.textContent`), pass.Name) {
		t.Error("the code step names the pass")
	}
	b.frame(chromedp.SendKeys(chromedp.ID("gb-code"), e.codes.Code(verifyPhone)))
	b.frame(chromedp.Click(chromedp.CSS(`form.gb-contact button[type=submit]`)))

	// The payment step: the pass, checked, with its balance.
	b.frame(chromedp.WaitVisible(chromedp.CSS("form.gb-pay")))
	b.settled("payment", true)
	label := evalFrame[string](b, fmt.Sprintf(`document.querySelector('input[name=pay][value="%d"]').closest('label').textContent`, pass.ID))
	if !strings.Contains(label, "Use my pass: 10 Yoga classes (10 visits left)") {
		t.Errorf("pass option %q", label)
	}
	if !evalFrame[bool](b, fmt.Sprintf(`document.querySelector('input[name=pay][value="%d"]').checked`, pass.ID)) {
		t.Error("the pass is not checked")
	}
	b.snap("pass-payment")
	b.frame(chromedp.Click(chromedp.CSS(`form.gb-pay button[type=submit]`)))

	// The confirmation: three bookings and the balance after them.
	b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-bookings")))
	b.settled("confirmation", true)
	if n := evalFrame[int](b, `document.querySelectorAll('.gb-booking').length`); n != 3 {
		t.Errorf("%d bookings on the confirmation page, want 3", n)
	}
	if got := evalFrame[string](b, `document.querySelector('[data-gb-paid]').textContent`); got != "Paid with your pass “10 Yoga classes”: 4 visits left." {
		t.Errorf("confirmation says %q", got)
	}
	b.snap("pass-confirmation")

	got, err := e.f.Store.ClientPass(context.Background(), booking.PassRef{LocationID: pass.LocationID, ClientID: client.ID, PassID: pass.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got.Balance != 10-3*2 {
		t.Errorf("balance %d, want 10 - 3 dates × 2 seats = 4", got.Balance)
	}
	for _, ev := range picked {
		bs, err := e.f.Store.EventBookings(context.Background(), ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(bs) != 1 || bs[0].Payment != booking.PaymentPass || bs[0].PassID != pass.ID || bs[0].Seats != 2 {
			t.Errorf("event %d: bookings %+v", ev.ID, bs)
		}
	}
	if bad := booktest.Invariant(t, db); len(bad) > 0 {
		t.Error(bad)
	}
}
