package handlers

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/notify"
)

// TestMyBookingsInBrowser opens My bookings in the embedded widget, in
// headless Chromium: the client with two booked dates follows "My
// bookings" from the class list, types the phone, reads the demo code off
// the code step, and sees both bookings, each with its manage link, which
// opens the manage page. Every step is swapped in by htmx and fits its
// frame, no console error or CSP violation, and the phone is never in the
// frame's address. SQLite only, like the other browser tests.
func TestMyBookingsInBrowser(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	f := booktest.Seed(t, db)
	e := newTestRouter(t, f.Store, func() time.Time { return f.Now }, func(d *Deps) {
		d.DevCodes = d.Verifier.(*notify.DevVerifier).Code
	})
	e.db, e.f = db, f
	evs := tueThuYoga(t, e, 10)
	anna := booking.ClientInput{Phone: verifyPhone, FirstName: "Anna", LastName: "Kovács"}
	res, err := f.Store.Reserve(context.Background(), booking.ReserveRequest{LocationID: f.Location.ID, Link: f.Link,
		EventIDs: []int64{evs[0].ID, evs[3].ID}, Seats: 1, Client: anna, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}

	widgetSrv := httptest.NewServer(e.router)
	defer widgetSrv.Close()
	widgetOrigin := strings.Replace(widgetSrv.URL, "127.0.0.1", "localhost", 1)
	hostSrv := httptest.NewServer(hostPage(widgetOrigin))
	defer hostSrv.Close()
	link, err := f.Store.Link(context.Background(), f.Link.ID)
	if err != nil {
		t.Fatal(err)
	}
	link.AllowedOrigins = hostSrv.URL
	if err := f.Store.SaveLink(context.Background(), link); err != nil {
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

	// "My bookings", from the class list.
	b.snap("me-list")
	b.frame(chromedp.Click(chromedp.CSS(`a[data-gb-me-link]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`form[data-gb-me-phone] #gb-phone`)))
	b.settled("my bookings: phone", true)
	if n := evalFrame[int](b, `document.querySelectorAll('a[data-gb-me-link]').length`); n != 0 {
		t.Error("the phone step still shows the My bookings link")
	}
	b.frame(chromedp.SendKeys(chromedp.ID("gb-phone"), "+36 20 123 4567"))
	b.snap("me-phone")
	b.frame(chromedp.Click(chromedp.CSS(`form[data-gb-me-phone] button[type=submit]`)))

	// The code, read off the demo line.
	b.frame(chromedp.WaitVisible(chromedp.CSS(`form[data-gb-me-code] #gb-code`)))
	b.settled("my bookings: code", true)
	demo := evalFrame[string](b, `document.querySelector('[data-gb-devcode]').textContent`)
	code := regexp.MustCompile(`\d{6}`).FindString(demo)
	if code == "" {
		t.Fatalf("no code in the demo line %q", demo)
	}
	b.frame(chromedp.SendKeys(chromedp.ID("gb-code"), code))
	b.frame(chromedp.Click(chromedp.CSS(`form[data-gb-me-code] button[type=submit]`)))

	// The bookings.
	b.frame(chromedp.WaitVisible(chromedp.CSS(`[data-gb-me-upcoming]`)))
	b.settled("my bookings", true)
	if n := evalFrame[int](b, `document.querySelectorAll('[data-gb-me-upcoming] [data-gb-me-booking]').length`); n != 2 {
		t.Errorf("%d bookings listed, want 2", n)
	}
	text := evalFrame[string](b, `document.querySelector('[data-gb-me-upcoming]').textContent.replace(/\s+/g, ' ')`)
	for _, want := range []string{"Tuesday, 3 March", "Thursday, 12 March", "Yoga · Sofie", "Booked"} {
		if !strings.Contains(text, want) {
			t.Errorf("the list %q lacks %q", text, want)
		}
	}
	where := evalFrame[string](b, `location.href`)
	if !strings.Contains(where, "/w/sunrise/me/") || strings.Contains(where, "1234567") {
		t.Errorf("the frame's address after the code: %s", where)
	}
	b.snap("me-bookings")

	// Its manage link opens the booking's manage page.
	b.frame(chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-gb-me-booking="%d"] a[data-gb-me-manage]`, res.Bookings[0].ID))))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`#booking-` + itoa64(res.Bookings[0].ID))))
	b.settled("manage", true)
	if n := evalFrame[int](b, `document.querySelectorAll('a[data-gb-me-link]').length`); n != 1 {
		t.Errorf("the manage page shows %d My bookings links, want 1", n)
	}
	if where := evalFrame[string](b, `location.pathname`); where != "/m/"+res.Group.Token {
		t.Errorf("manage link led to %s", where)
	}
}
