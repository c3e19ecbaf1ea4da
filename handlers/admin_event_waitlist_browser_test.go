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

// TestAdminWaitlistInBrowser runs the event window's waitlist in Chromium
// under the real CSP: a full class, Ada (2 seats) and Bea (1) waiting, one
// seat freed so Bea is offered it; staff move Ada down, then move Bea in.
// Each action is an htmx swap of the clients block in the same document,
// and the browser reports no CSP violation or script error. SQLite only:
// the HTTP tests run every action on both databases.
func TestAdminWaitlistInBrowser(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	e := newAdminEnv(t, db)
	ctx := context.Background()
	ev := e.f.YogaEvents(t, 1, 4)[0]
	e.f.WithWaitlist(t, booking.WaitlistInOrder, 120)
	full := e.f.Fill(t, ev)
	ada := e.f.Join(t, 21, 2, ev)
	bea := e.f.Join(t, 22, 1, ev)
	// One seat less for the party that filled the class: Bea's party of 1
	// fits and is offered it; Ada's party of 2 keeps her place.
	if _, err := e.f.Store.ChangeSeats(ctx, full[0].ID, full[0].Seats-1); err != nil {
		t.Fatal(err)
	}

	srv := httptest.NewServer(e.router)
	defer srv.Close()
	problems := &browserProblems{}
	br := startBrowser(t, 2*time.Minute, problems.listener("admin"))
	bctx := br.scenario(t, 60*time.Second, problems)
	a := &adminBrowser{t: t, tab: br.tab, ctx: bctx, dir: br.shots, start: time.Now(), last: time.Now(), problems: problems}
	defer a.finish()

	row := func(id int64) string { return fmt.Sprintf("#waitlist-%d", id) }
	path := eventURL(ev.ID)
	a.do("sign in", chromedp.EmulateViewport(adminViewportWidth, adminViewportHeight), chromedp.Navigate(srv.URL+"/admin/login?next="+path),
		chromedp.SendKeys(chromedp.ID("ga-email"), staffEmail), chromedp.SendKeys(chromedp.ID("ga-password"), adminPassword),
		chromedp.Submit(chromedp.ID("ga-password")), chromedp.WaitVisible(chromedp.ID("gae-waitlist")))
	if got := a.text(row(bea.ID) + " .gae-wl__state"); !strings.HasPrefix(got, "Offered until") {
		t.Errorf("Bea's offer shows %q", got)
	}
	if got := a.text("#gae-held"); got != "1 seat held for the waitlist" {
		t.Errorf("held seats show %q", got)
	}
	a.step("waitlist-offered")
	a.mark()

	a.do("Ada down", chromedp.Click(chromedp.CSS(row(ada.ID)+` form[action$="/down"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#gae-waitlist tbody tr:first-child"+row(bea.ID))))
	a.sameDocument("Ada down", path)
	if got := a.text("#gae-clients .gb-alert--success"); got != "Waitlist order changed." {
		t.Errorf("after down: %q", got)
	}
	a.step("waitlist-reordered")

	a.do("move Bea in", chromedp.Click(chromedp.CSS(row(bea.ID)+` form[action$="/book"] button`)),
		chromedp.WaitVisible(chromedp.CSS(row(bea.ID)+" .gae-wl__badge--booked")))
	a.sameDocument("move Bea in", path)
	if got := a.text("#gae-clients table tbody"); !strings.Contains(got, "+36 20 100 0022") {
		t.Errorf("Bea is not among the clients: %q", got)
	}
	if got := a.text("#gae-meter-text"); !strings.Contains(got, "4 of 4 seats taken") || strings.Contains(got, "held") {
		t.Errorf("seat meter after the move in: %q", got)
	}
	a.step("waitlist-booked")

	if w, err := e.f.Store.EventWaitlist(ctx, ev.ID); err != nil || len(w) != 2 || w[0].Entry.ID != ada.ID || w[0].Position != 1 || w[1].Entry.State != booking.WaitBooked {
		t.Errorf("stored waitlist: %+v, %v", w, err)
	}
	if bad := booktest.Invariant(t, db); len(bad) > 0 {
		t.Fatal(bad)
	}
}
