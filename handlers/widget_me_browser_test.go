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

// framedWidget is a widget server with demo codes shown (so a browser can
// read the SMS code off the page) and a studio page framing it from
// another origin the link allows.
type framedWidget struct {
	*widgetEnv
	origin, host string
}

func newFramedWidget(t *testing.T) *framedWidget {
	t.Helper()
	db := booktest.Open(t, booktest.SQLite)
	f := booktest.Seed(t, db)
	e := newTestRouter(t, f.Store, func() time.Time { return f.Now }, func(d *Deps) {
		d.DevCodes = d.Verifier.(*notify.DevVerifier).Code
	})
	e.db, e.f = db, f
	srv := httptest.NewServer(e.router)
	t.Cleanup(srv.Close)
	w := &framedWidget{widgetEnv: e, origin: strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)}
	w.host = newHostServer(t, w.origin)
	f.Link.AllowedOrigins = w.host
	if err := f.Store.SaveLink(context.Background(), f.Link); err != nil {
		t.Fatal(err)
	}
	return w
}

// open starts Chromium on the studio's page and attaches to the widget's
// frame, showing the class list.
func (w *framedWidget) open(t *testing.T) *browserRun {
	t.Helper()
	problems := &browserProblems{}
	br := startBrowser(t, 3*time.Minute, problems.listener("host page"))
	ctx := br.scenario(t, 90*time.Second, problems)
	b := &browserRun{t: t, tab: br.tab, ctx: ctx, dir: br.shots, start: time.Now(), last: time.Now(), problems: problems}
	b.host(chromedp.EmulateViewport(viewportWidth, viewportHeight), chromedp.Navigate(w.host+"/"),
		chromedp.WaitVisible(chromedp.CSS("iframe.groupbook-frame")))
	b.attachFrame(w.origin + "/w/sunrise?")
	b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-events a")))
	// Gone after a full page load: settled(…, true) checks that htmx swapped.
	b.frame(chromedp.Evaluate[chromedp.Void](`window.gbTestMark = 1`))
	return b
}

// myBookingsInFrame follows "My bookings" in the framed widget, types the
// phone, reads the demo code off the code step and types it, up to the
// client's list. The steps are swapped in by htmx and fit the frame; the
// phone step offers no second My bookings link; the phone never reaches
// the frame's address.
func myBookingsInFrame(b *browserRun, phone string) {
	b.t.Helper()
	b.frame(chromedp.Click(chromedp.CSS(`a[data-gb-me-link]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`form[data-gb-me-phone] #gb-phone`)))
	b.settled("my bookings: phone", true)
	if n := evalFrame[int](b, `document.querySelectorAll('a[data-gb-me-link]').length`); n != 0 {
		b.t.Error("the phone step still shows the My bookings link")
	}
	b.frame(chromedp.SendKeys(chromedp.ID("gb-phone"), phone))
	b.frame(chromedp.Click(chromedp.CSS(`form[data-gb-me-phone] button[type=submit]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`form[data-gb-me-code] #gb-code`)))
	b.settled("my bookings: code", true)
	demo := evalFrame[string](b, `document.querySelector('[data-gb-devcode]').textContent`)
	code := regexp.MustCompile(`\d{6}`).FindString(demo)
	if code == "" {
		b.t.Fatalf("no code in the demo line %q", demo)
	}
	b.frame(chromedp.SendKeys(chromedp.ID("gb-code"), code))
	b.frame(chromedp.Click(chromedp.CSS(`form[data-gb-me-code] button[type=submit]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`[data-gb-me-upcoming]`)))
	b.settled("my bookings", true)
	digits := regexp.MustCompile(`\D`).ReplaceAllString(phone, "")
	if where := evalFrame[string](b, `location.href`); !strings.Contains(where, "/w/sunrise/me/") || strings.Contains(where, digits[len(digits)-7:]) {
		b.t.Errorf("the frame's address after the code: %s", where)
	}
}

// TestMyBookingsInBrowser opens My bookings in the embedded widget, in
// headless Chromium: the client with two booked dates follows "My
// bookings" from the class list, types the phone, reads the demo code off
// the code step, and sees both bookings, each with its manage link, which
// opens the manage page. Every step is swapped in by htmx and fits its
// frame, no console error or CSP violation, and the phone is never in the
// frame's address. SQLite only, like the other browser tests.
func TestMyBookingsInBrowser(t *testing.T) {
	w := newFramedWidget(t)
	f := w.f
	evs := tueThuYoga(t, w.widgetEnv, 10)
	anna := booking.ClientInput{Phone: verifyPhone, FirstName: "Anna", LastName: "Kovács"}
	res, err := f.Store.Reserve(context.Background(), booking.ReserveRequest{LocationID: f.Location.ID, Link: f.Link,
		EventIDs: []int64{evs[0].ID, evs[3].ID}, Seats: 1, Client: anna, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	b := w.open(t)
	defer b.finish()
	b.snap("me-list")

	myBookingsInFrame(b, "+36 20 123 4567")
	if n := evalFrame[int](b, `document.querySelectorAll('[data-gb-me-upcoming] [data-gb-me-booking]').length`); n != 2 {
		t.Errorf("%d bookings listed, want 2", n)
	}
	text := evalFrame[string](b, `document.querySelector('[data-gb-me-upcoming]').textContent.replace(/\s+/g, ' ')`)
	for _, want := range []string{"Tuesday, 3 March", "Thursday, 12 March", "Yoga · Sofie", "Booked"} {
		if !strings.Contains(text, want) {
			t.Errorf("the list %q lacks %q", text, want)
		}
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
