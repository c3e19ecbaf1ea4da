package handlers

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestWaitlistInBrowser: a full class (3 seats: 2 booked by one client, 1
// by another), a client joins its waitlist for 2 seats through the widget
// in Chromium, staff cancel the 2-seat booking, which offers the 2 seats
// to the waitlist, the client opens the offer link, books them through the
// normal contact step (filled from the entry) and sees them on the manage
// page.
func TestWaitlistInBrowser(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	e := newWidgetEnv(t, db)
	waitlistLink(t, e, false)
	ctx := context.Background()
	ev := e.f.YogaEvents(t, 1, 3)[0]
	var pair *booking.Reservation
	for i, seats := range []int{2, 1} {
		res, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{
			LocationID: e.f.Location.ID, Link: e.f.Link, EventIDs: []int64{ev.ID}, Seats: seats, Client: booktest.Client(i + 1), Lang: "en",
		})
		if err != nil {
			t.Fatal(err)
		}
		if seats == 2 {
			pair = res
		}
	}
	srv := httptest.NewServer(e.router)
	t.Cleanup(srv.Close)
	problems := &browserProblems{}
	br := startBrowser(t, 2*time.Minute, problems.listener("tab"))
	runCtx := br.scenario(t, time.Minute, problems)
	b := &browserRun{t: t, tab: br.tab, ctx: runCtx, frameCtx: runCtx, dir: br.shots, start: time.Now(), last: time.Now(), problems: problems}
	t.Cleanup(func() { problems.report(t) })

	// The list row says full with a waitlist and opens the event page.
	b.host(chromedp.EmulateViewport(viewportWidth, viewportHeight), chromedp.Navigate(srv.URL+"/w/sunrise"))
	row := `a.gb-event[href*="/w/sunrise/e/` + itoa64(ev.ID) + `"]`
	b.frame(chromedp.WaitVisible(chromedp.CSS(row)))
	if txt := evalFrame[string](b, `document.querySelector('`+row+`').textContent`); !strings.Contains(txt, "Full · waitlist") {
		t.Errorf("list row: %q", txt)
	}
	b.frame(chromedp.Click(chromedp.CSS(row)))
	b.waitFor(b.ctx, "the waitlist form", `!!document.querySelector('[data-gb-waitlist] input[name=seats]')`)
	b.shotNow("waitlist-event")
	// Two seats with the stepper, then the contact step.
	b.frame(chromedp.Click(chromedp.CSS(`[data-gb-waitlist] [data-gb-step="1"]`)))
	b.waitFor(b.ctx, "two seats", `document.getElementById('gb-wl-seats').value === '2'`)
	b.frame(chromedp.Click(chromedp.CSS(`[data-gb-wl-join]`)))
	b.waitFor(b.ctx, "the contact step", `!!document.getElementById('gb-first_name') && !!document.querySelector('[data-gb-wl-hint]')`)
	b.frame(
		chromedp.SendKeys(chromedp.ID("gb-first_name"), "Anna"),
		chromedp.SendKeys(chromedp.ID("gb-last_name"), "Kovács"),
		chromedp.SendKeys(chromedp.ID("gb-phone"), "+36 20 123 4567"),
		chromedp.Click(chromedp.CSS(`form.gb-contact button[type=submit]`)),
	)
	b.waitFor(b.ctx, "the waitlist page", `!!document.querySelector('[data-gb-wl-place]')`)
	if txt := evalFrame[string](b, `document.querySelector('[data-gb-wl-place]').textContent`); !strings.Contains(txt, "number 1 in line") {
		t.Errorf("place: %q", txt)
	}
	wlPath := evalFrame[string](b, `location.pathname`)
	if !strings.HasPrefix(wlPath, "/wl/") {
		t.Fatalf("after joining the page is %s", wlPath)
	}
	b.shotNow("waitlist-joined")

	// Staff cancel the 2-seat booking: the seats are offered at once.
	if _, err := e.f.Store.CancelByAdmin(ctx, pair.Bookings[0].ID); err != nil {
		t.Fatal(err)
	}
	b.host(chromedp.Navigate(srv.URL + wlPath))
	b.waitFor(b.ctx, "the offer", `!!document.querySelector('[data-gb-wl-claim]')`)
	if txt := evalFrame[string](b, `document.querySelector('[data-gb-wl-offer]').textContent`); !strings.Contains(txt, "2 seats are held for you until") {
		t.Errorf("offer: %q", txt)
	}
	b.shotNow("waitlist-offer")
	b.frame(chromedp.Click(chromedp.CSS(`[data-gb-wl-claim]`)))
	b.waitFor(b.ctx, "the claim's contact step", `!!document.getElementById('gb-phone') && document.getElementById('gb-phone').value === '`+verifyPhone+`'`)
	b.frame(chromedp.Click(chromedp.CSS(`form.gb-contact button[type=submit]`)))
	b.waitFor(b.ctx, "the manage page", `!!document.querySelector('.gb-bookings .gb-booking')`)
	if txt := evalFrame[string](b, `document.querySelector('.gb-bookings').textContent`); !strings.Contains(txt, "2 seats") {
		t.Errorf("manage page: %q", txt)
	}
	b.shotNow("waitlist-booked")
	if n := e.taken(ev); n != 3 {
		t.Errorf("%d seats taken after the claim, want 3", n)
	}
	if bad := booktest.Invariant(t, db); len(bad) > 0 {
		t.Fatal(bad)
	}
}
