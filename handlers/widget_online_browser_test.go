package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestWidgetOnlineInBrowser pays online from the embedded widget in
// headless Chromium: the widget is framed by a studio's page on another
// site; the client picks two dates, fills in the contact form and
// continues; the manage page in the frame says the payment is pending and
// its Pay button takes the whole tab (not the frame) to the fake Stripe
// Checkout on a third origin; "Pay" there sends the browser back to the
// manage page, top-level, which says it is waiting for the confirmation
// (Stripe's first deliveries are made to miss) and polls; once Stripe's
// signed webhook reaches /hooks/stripe the page swaps in the booking
// confirmed and paid by itself. No console error or CSP violation on the
// way. SQLite only, like the other browser tests.
func TestWidgetOnlineInBrowser(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	// The manage page's address goes to Stripe as the success URL, so the
	// server's base URL must be where the browser reaches it: the server
	// starts first, the router it serves comes after.
	var router http.Handler = http.NotFoundHandler()
	widgetSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { router.ServeHTTP(w, r) }))
	defer widgetSrv.Close()
	widgetOrigin := strings.Replace(widgetSrv.URL, "127.0.0.1", "localhost", 1)
	e := newOnlineEnv(t, db, booking.PayOnline, nil, func(d *Deps) { d.BaseURL = widgetOrigin })
	router = e.router
	// Stripe's first deliveries go nowhere (404), so the client is back on
	// the manage page before the webhook: the page must find out by itself.
	e.stripe.SetWebhookURL(widgetSrv.URL + "/hooks/nowhere")
	evs := tueThuYoga(t, e.widgetEnv, 10)
	picked := []booking.Event{evs[0], evs[2]}

	hostSrv := httptest.NewServer(hostPage(widgetOrigin))
	defer hostSrv.Close()
	link := *e.f.Link
	link.AllowedOrigins = hostSrv.URL
	if err := e.f.Store.SaveLink(context.Background(), &link); err != nil {
		t.Fatal(err)
	}

	problems := &browserProblems{}
	br := startBrowser(t, 3*time.Minute, problems.listener("host page"))
	ctx := br.scenario(t, 90*time.Second, problems)
	b := &browserRun{t: t, tab: br.tab, ctx: ctx, dir: br.shots, start: time.Now(), last: time.Now(), problems: problems}
	defer b.finish()

	b.host(chromedp.EmulateViewport(viewportWidth, viewportHeight), chromedp.Navigate(hostSrv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("iframe.groupbook-frame")))
	b.attachFrame(widgetOrigin + "/w/sunrise?")
	b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-events a")))
	// Every step in the frame must be an htmx swap inside this document.
	b.frame(chromedp.Evaluate[chromedp.Void](`window.gbTestMark = 1`))

	b.frame(chromedp.Click(chromedp.CSS(fmt.Sprintf(`.gb-events a[href*="/w/sunrise/e/%d?"]`, picked[0].ID))))
	b.frame(chromedp.WaitVisible(chromedp.CSS("fieldset.gb-another")))
	b.frame(chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=also][value="%d"]`, picked[1].ID))))
	b.frame(chromedp.Click(chromedp.CSS(`form.gb-select > button[type=submit]:not([name])`)))
	b.frame(chromedp.WaitVisible(chromedp.ID("gb-first_name")))
	b.frame(
		chromedp.SendKeys(chromedp.ID("gb-first_name"), "Anna"),
		chromedp.SendKeys(chromedp.ID("gb-last_name"), "Kovács"),
		chromedp.SendKeys(chromedp.ID("gb-phone"), "+36 20 123 4567"),
	)
	b.frame(chromedp.Click(chromedp.CSS(`form.gb-contact button[type=submit]`)))

	// Held: the manage page in the frame, pending, with the Pay button.
	b.frame(chromedp.WaitVisible(chromedp.CSS("a[data-gb-pay]")))
	b.settled("pending", true)
	if got := evalFrame[string](b, `document.querySelector('h1').textContent`); got != "Awaiting payment" {
		t.Errorf("heading %q", got)
	}
	if got := evalFrame[string](b, `document.querySelector('a[data-gb-pay]').target`); got != "_top" {
		t.Errorf("Pay target %q", got)
	}
	b.snap("online-pending")
	for _, ev := range picked {
		if got := e.taken(&ev); got != 1 {
			t.Errorf("event %d: %d seats held, want 1", ev.ID, got)
		}
	}

	// Checkout takes the whole tab: the frame is gone with the host page.
	b.frame(chromedp.Click(chromedp.CSS("a[data-gb-pay]")))
	b.host(chromedp.WaitVisible(chromedp.ID("pay")))
	b.leaveFrame()
	b.shotHost("online-checkout")
	if got := evalHost[string](b, `location.origin`); got != e.stripe.URL() {
		t.Errorf("the tab is at %q, want the fake Checkout %s", got, e.stripe.URL())
	}
	if got := evalHost[string](b, `document.getElementById('total').textContent`); got != "700000 huf" {
		t.Errorf("Checkout total %q, want 2 dates × 3,500 HUF", got)
	}
	b.host(chromedp.Click(chromedp.ID("pay")))

	// Back on the manage page, top-level, before the webhook: waiting,
	// polling; then Stripe's retry reaches /hooks/stripe and the page
	// swaps in the confirmation by itself (htmx: the document stays).
	b.host(chromedp.WaitVisible(chromedp.CSS("[data-gb-poll]")))
	if got := evalHost[string](b, `document.querySelector('[data-gb-online-text]').textContent`); !strings.Contains(got, "waiting for the payment to be confirmed") {
		t.Errorf("back before the webhook: %q", got)
	}
	if n := evalHost[int](b, `document.querySelectorAll('[data-gb-pay]').length`); n != 0 {
		t.Error("Pay offered again after paying")
	}
	b.host(chromedp.Evaluate[chromedp.Void](`window.gbTestMark = 2`))
	b.shotHost("online-returned")
	e.stripe.SetWebhookURL(widgetSrv.URL + "/hooks/stripe")
	b.host(chromedp.WaitVisible(chromedp.CSS("[data-gb-paid-online]")))
	if got := evalHost[int](b, `window.gbTestMark || 0`); got != 2 {
		t.Error("the page was reloaded, not updated by its poll")
	}
	if got := evalHost[string](b, `location.origin + location.pathname`); !strings.HasPrefix(got, widgetOrigin+"/m/") {
		t.Errorf("back at %q, want the manage page", got)
	}
	if got := plain(evalHost[string](b, `document.querySelector('[data-gb-paid-online]').textContent`)); got != "Paid online: 7,000 HUF." {
		t.Errorf("paid %q", got)
	}
	if got := evalHost[string](b, `document.querySelector('.gb-alert--success').textContent`); got != "Payment received. Your booking is confirmed." {
		t.Errorf("alert %q", got)
	}
	if n := evalHost[int](b, `document.querySelectorAll('.gb-booking:not(.gb-booking--cancelled)').length`); n != 2 {
		t.Errorf("%d bookings shown, want 2", n)
	}
	b.shotHost("online-paid")
	token := strings.TrimPrefix(evalHost[string](b, `location.pathname`), "/m/")
	res := e.group(token)
	if res.Group.State != booking.GroupBooked {
		t.Errorf("group %q, want booked", res.Group.State)
	}
	for _, bk := range res.Bookings {
		if bk.Payment != booking.PaymentOnline || bk.PaidAmountMinor != 350000 {
			t.Errorf("booking %d: %q %d", bk.ID, bk.Payment, bk.PaidAmountMinor)
		}
	}
	if bad := booktest.Invariant(t, db); len(bad) > 0 {
		t.Error(bad)
	}
}

// leaveFrame forgets the widget's frame once the tab has navigated away
// from the host page (the frame's target is gone).
func (b *browserRun) leaveFrame() {
	if b.cancelFrame != nil {
		b.cancelFrameDeadline()
		b.cancelFrame()
		b.cancelFrame, b.frameCtx = nil, nil
	}
}

// shotHost saves a screenshot of the tab when no frame is in it.
func (b *browserRun) shotHost(name string) {
	b.t.Helper()
	b.shot++
	if path := b.screenshot(b.ctx, fmt.Sprintf("%02d-%s", b.shot, name)); path != "" {
		b.t.Logf("screenshot: %s", path)
	}
}
