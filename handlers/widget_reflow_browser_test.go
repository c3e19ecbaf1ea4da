package handlers

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// layoutCheck is what checkLayoutJS reports about the page as it is laid
// out now.
type layoutCheck struct {
	ScrollWidth float64  `json:"scrollWidth"`
	ClientWidth float64  `json:"clientWidth"`
	Coarse      bool     `json:"coarse"`
	Overflowing []string `json:"overflowing"` // right edge past the viewport
	Small       []string `json:"small"`       // targets under 44x44
	Targets     int      `json:"targets"`
	Heading     string   `json:"heading"`
}

// checkLayoutJS measures every element's right edge against the viewport,
// and every interactive target's size. A checkbox or radio button's target
// is its label (which wraps it, so a tap anywhere on the label ticks it);
// everything else is its own box. Hidden inputs and elements without a box
// are left out.
const checkLayoutJS = `(() => {
	const d = document.documentElement, vw = d.clientWidth;
	const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
		(el.classList.length ? '.' + Array.from(el.classList).join('.') : '') +
		(el.getAttribute('href') ? '[href=' + el.getAttribute('href').slice(0, 40) + ']' : '') +
		(el.textContent.trim() ? ' "' + el.textContent.trim().replace(/\s+/g, ' ').slice(0, 30) + '"' : '');
	const size = r => Math.round(r.width) + 'x' + Math.round(r.height) + ' at x=' + Math.round(r.left) + '..' + Math.round(r.right);
	const over = [], small = [];
	for (const el of document.body.querySelectorAll('*')) {
		const r = el.getBoundingClientRect();
		if (r.width === 0 && r.height === 0) continue;
		if (r.right > vw + 0.5 || r.left < -0.5) over.push(name(el) + ' ' + size(r));
	}
	let targets = 0;
	for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, label[for], summary')) {
		if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
		const t = el.matches('input[type=checkbox], input[type=radio]') && el.closest('label') || el;
		const r = t.getBoundingClientRect();
		targets++;
		if (r.width < 43.99 || r.height < 43.99) small.push(name(el) + ' ' + size(r));
	}
	const h = document.querySelector('h1');
	return {scrollWidth: document.scrollingElement.scrollWidth, clientWidth: document.scrollingElement.clientWidth,
		coarse: matchMedia('(pointer: coarse)').matches, overflowing: over, small: small, targets: targets,
		heading: h ? h.textContent.trim() : ''};
})()`

// reflowWidths: a small phone, and the same phone at 200 % zoom.
var reflowWidths = []int64{320, 160}

// TestWidgetReflowAndTapTargetsInBrowser opens every step of the widget on
// a touch screen (Chromium's touch emulation, so (pointer: coarse)
// matches) 320 and 160 CSS px wide, as a direct link and as the framed
// page (embed=1), and checks on each: nothing scrolls sideways
// (document.scrollingElement.scrollWidth <= clientWidth) and no element's
// right edge is past the viewport (issue 8, item 21); every link, button,
// field, label and checkbox label is at least 44x44 CSS px (item 15).
// The steps: the list (with filters), the event page filtered to Tuesdays
// with a date ticked and 2 seats, the contact form with its errors, the
// phone confirmation, the confirmation with a Change menu open, the
// reschedule page, the cancel confirmation, and the not-found page. A
// screenshot of each at 160 px goes to GROUPBOOK_TEST_ARTIFACTS.
func TestWidgetReflowAndTapTargetsInBrowser(t *testing.T) {
	u := newUXEnv(t, 3*time.Minute)
	link := *u.f.Link
	link.SMSConfirm = true
	if err := u.f.Store.SaveLink(context.Background(), &link); err != nil {
		t.Fatal(err)
	}
	b := u.direct(t, 2*time.Minute)
	tab := b.ctx

	check := func(mode, step string) {
		t.Helper()
		for _, w := range reflowWidths {
			b.host(chromedp.EmulateViewport(w, 640, chromedp.EmulateTouch, chromedp.EmulateMobile))
			b.painted(tab)
			c := evalFrame[layoutCheck](b, checkLayoutJS)
			where := fmt.Sprintf("%s %s at %dpx (%q)", mode, step, w, c.Heading)
			if !c.Coarse {
				t.Fatalf("%s: (pointer: coarse) does not match under touch emulation", where)
			}
			if c.ClientWidth != float64(w) {
				t.Errorf("%s: the viewport is %.0fpx wide, want %d", where, c.ClientWidth, w)
			}
			if c.ScrollWidth > c.ClientWidth {
				t.Errorf("%s: the page scrolls sideways: %.0fpx of content in %.0fpx", where, c.ScrollWidth, c.ClientWidth)
			}
			if n := len(c.Overflowing); n > 0 {
				t.Errorf("%s: %d elements stick out of the viewport: %s", where, n, strings.Join(c.Overflowing[:min(n, 5)], "; "))
			}
			for _, s := range c.Small {
				t.Errorf("%s: target under 44x44px: %s", where, s)
			}
			if c.Targets == 0 && step != "not-found" {
				t.Errorf("%s: no targets measured", where)
			}
			t.Logf("%s: %d targets, content %.0f/%.0fpx wide", where, c.Targets, c.ScrollWidth, c.ClientWidth)
			if w == 160 {
				b.shotNow(fmt.Sprintf("%s-%s-%dpx", mode, step, w))
			}
		}
	}

	modes := []struct {
		name, query, phone string
		primary, also      int // indexes into u.evs
	}{
		{"direct", "", "+36 20 123 4567", 0, 2},
		// Hungarian has long words ("Visszaigazolás"), which must wrap too.
		{"framed", "embed=1&gbframe=f1&lang=hu", "+36 30 765 4321", 4, 6},
	}
	for _, m := range modes {
		base := u.srv.URL + "/w/sunrise"
		q := func(extra string) string {
			return "?" + strings.Trim(m.query+"&"+extra, "&")
		}
		b.host(chromedp.Navigate(base + q("")))
		b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-filters")))
		check(m.name, "list")

		b.host(chromedp.Navigate(base + fmt.Sprintf("/e/%d", u.evs[m.primary].ID) +
			q(fmt.Sprintf("wd=2&seats=2&also=%d", u.evs[m.also].ID))))
		b.frame(chromedp.WaitVisible(chromedp.CSS(`.gb-chip[aria-pressed="true"]`)))
		check(m.name, "event")

		contact := url.Values{"event": {idString(u.evs[m.primary].ID)}, "also": {idString(u.evs[m.also].ID)}, "seats": {"2"}}
		b.host(chromedp.Navigate(base + "/contact" + q(contact.Encode())))
		b.frame(chromedp.WaitVisible(chromedp.ID("gb-first_name")))
		check(m.name, "contact")
		b.frame(chromedp.Click(chromedp.CSS(`form.gb-contact button[type=submit]`)))
		b.frame(chromedp.WaitVisible(chromedp.CSS(`.gb-error`)))
		check(m.name, "contact-errors")

		b.frame(
			chromedp.SendKeys(chromedp.ID("gb-first_name"), "Anna"),
			chromedp.SendKeys(chromedp.ID("gb-last_name"), "Kovács"),
			chromedp.SendKeys(chromedp.ID("gb-phone"), m.phone),
			chromedp.Click(chromedp.CSS(`form.gb-contact button[type=submit]`)),
			chromedp.WaitVisible(chromedp.ID("gb-code")),
		)
		check(m.name, "verify")

		e164 := "+" + strings.NewReplacer(" ", "", "+", "").Replace(m.phone)
		b.frame(
			chromedp.SendKeys(chromedp.ID("gb-code"), u.codes.Code(e164)),
			chromedp.Click(chromedp.CSS(`form.gb-contact button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".gb-bookings")),
		)
		check(m.name, "confirmation")

		// The Change menu open, the reschedule page and the cancel
		// confirmation (issue 13).
		b.frame(chromedp.Click(chromedp.CSS(`details[data-gb-change] > summary`)))
		b.frame(chromedp.WaitVisible(chromedp.CSS(`a[data-gb-reschedule]`)))
		check(m.name, "change-menu")
		move := evalFrame[string](b, `document.querySelector('a[data-gb-reschedule]').href`)
		cancel := evalFrame[string](b, `document.querySelector('a[data-gb-cancel]').href`)
		b.host(chromedp.Navigate(move))
		b.frame(chromedp.WaitVisible(chromedp.CSS(`button[data-gb-move-to]`)))
		check(m.name, "reschedule")
		b.host(chromedp.Navigate(cancel))
		b.frame(chromedp.WaitVisible(chromedp.CSS(`form.gb-cancel button[type=submit]`)))
		check(m.name, "cancel-confirm")

		b.host(chromedp.Navigate(base + "/e/999999" + q("")))
		b.frame(chromedp.WaitVisible(chromedp.CSS("h1")))
		check(m.name, "not-found")
	}
}
