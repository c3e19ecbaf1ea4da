package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"groupbook/booking"
)

// focusState is where the keyboard focus is and how it shows.
type focusState struct {
	// In the host page: is the focus in the widget's frame (the iframe is
	// the host's activeElement)? The rest describes the focused element of
	// the document that holds it.
	InFrame bool    `json:"inFrame"`
	Desc    string  `json:"desc"`
	Ring    bool    `json:"ring"` // an outline (not none, width > 0) or a box-shadow
	Style   string  `json:"style"`
	Visible bool    `json:"focusVisible"` // matches :focus-visible
	Clip    string  `json:"clip"`         // an ancestor whose overflow cuts the ring
	Opacity float64 `json:"opacity"`      // the element's and its ancestors' together
	Top     float64 `json:"top"`          // the ring's box, in its document's viewport
	Bottom  float64 `json:"bottom"`
	Left    float64 `json:"left"`
	Right   float64 `json:"right"`
	Width   float64 `json:"width"` // the document's viewport width
	// Host page only: the frame's position, and the part of the host's
	// viewport (or of the dialog, below its sticky close bar) where a
	// focused control can be seen.
	FrameTop   float64 `json:"frameTop"`
	FrameLeft  float64 `json:"frameLeft"`
	ViewTop    float64 `json:"viewTop"`
	ViewBottom float64 `json:"viewBottom"`
	BarBottom  float64 `json:"barBottom"` // the dialog's close bar; the frame shows below it
}

// focusStateJS describes document.activeElement: its ring (the computed
// outline or box-shadow, with the outline's width and offset added to the
// box), whether an ancestor with overflow other than visible would cut the
// ring, and, in the host page, whether the focus is in the widget's frame
// and what part of the screen shows it.
const focusStateJS = `(() => {
	const el = document.activeElement;
	const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
		(e.classList.length ? '.' + Array.from(e.classList).join('.') : '') +
		(e.getAttribute('name') ? '[name=' + e.getAttribute('name') + ']' : '') +
		(e.getAttribute('value') && e.type !== 'text' ? '[value=' + e.getAttribute('value') + ']' : '') +
		(e.textContent.trim() ? ' "' + e.textContent.trim().replace(/\s+/g, ' ').slice(0, 30) + '"' : '') +
		(e.getAttribute('aria-label') ? ' [' + e.getAttribute('aria-label') + ']' : '');
	const s = {inFrame: false, desc: 'body', ring: false, style: '', focusVisible: false, clip: '', opacity: 1,
		top: 0, bottom: 0, left: 0, right: 0, width: document.documentElement.clientWidth,
		frameTop: 0, frameLeft: 0, viewTop: 0, viewBottom: window.innerHeight};
	const frame = document.querySelector('iframe.groupbook-frame');
	if (frame) {
		const fr = frame.getBoundingClientRect();
		s.frameTop = fr.top; s.frameLeft = fr.left;
		const dialog = frame.closest('[role=dialog]');
		if (dialog) {
			const pr = dialog.getBoundingClientRect(), bar = dialog.firstElementChild.getBoundingClientRect();
			s.viewTop = pr.top; s.viewBottom = pr.bottom; s.barBottom = bar.bottom;
		}
	}
	if (!el || el === document.body || el === document.documentElement) return s;
	if (el === frame) { s.inFrame = true; return s; }
	const cs = getComputedStyle(el);
	const ow = cs.outlineStyle !== 'none' ? parseFloat(cs.outlineWidth) || 0 : 0;
	s.ring = ow > 0 || (cs.boxShadow !== 'none' && cs.boxShadow !== '');
	s.style = 'outline: ' + cs.outlineStyle + ' ' + cs.outlineWidth + ' offset ' + cs.outlineOffset + '; box-shadow: ' + cs.boxShadow;
	s.focusVisible = el.matches(':focus-visible');
	s.opacity = 1;
	for (let p = el; p; p = p.parentElement) s.opacity *= parseFloat(getComputedStyle(p).opacity);
	s.desc = name(el);
	const pad = ow > 0 ? Math.max(0, ow + (parseFloat(cs.outlineOffset) || 0)) : 0;
	const r = el.getBoundingClientRect();
	s.top = r.top - pad; s.bottom = r.bottom + pad; s.left = r.left - pad; s.right = r.right + pad;
	for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
		const ps = getComputedStyle(p);
		if (ps.overflowX === 'visible' && ps.overflowY === 'visible') continue;
		const pr = p.getBoundingClientRect();
		if (s.left < pr.left - 0.5 || s.right > pr.right + 0.5 || s.top < pr.top - 0.5 || s.bottom > pr.bottom + 0.5) {
			s.clip = name(p) + ' (overflow ' + ps.overflowX + '/' + ps.overflowY + ')';
		}
	}
	return s;
})()`

// kbRun drives a booking with the keyboard only.
type kbRun struct {
	*browserRun
	dialog bool
	stops  int
}

// press sends one key (with modifiers) to the host tab, as a keyboard
// would: Chromium delivers it to whatever has the focus, the widget's
// frame included.
func (k *kbRun) press(key string, mods ...chromedp.Modifier) {
	k.t.Helper()
	k.host(chromedp.KeyEvent(key, chromedp.KeyModifiers(mods...)))
}

// typeText types into the focused field, key by key.
func (k *kbRun) typeText(s string) {
	k.t.Helper()
	k.host(chromedp.KeyEvent(s))
}

// focus reads where the focus is: the host page's element, or the frame's.
func (k *kbRun) focus() focusState {
	k.t.Helper()
	h := evalHost[focusState](k.browserRun, focusStateJS)
	if !h.InFrame {
		return h
	}
	f := evalFrame[focusState](k.browserRun, focusStateJS)
	f.InFrame = true
	// Into the host's coordinates, to compare with what it shows.
	f.Top, f.Bottom = f.Top+h.FrameTop, f.Bottom+h.FrameTop
	f.FrameTop, f.FrameLeft, f.ViewTop, f.ViewBottom = h.FrameTop, h.FrameLeft, max(h.ViewTop, h.BarBottom), h.ViewBottom
	return f
}

// problem says what is wrong with how the focus shows, or "".
func (s focusState) problem() string {
	if s.Desc == "body" {
		return "the focus is on the page's body"
	}
	var p []string
	if !s.Ring {
		p = append(p, "no focus indicator ("+s.Style+")")
	}
	if s.Opacity < 0.9 {
		p = append(p, fmt.Sprintf("the focus ring is faded (opacity %.2f)", s.Opacity))
	}
	if s.Clip != "" {
		p = append(p, "the focus ring is cut by "+s.Clip)
	}
	if s.Left < -0.5 || s.Right > s.Width+0.5 {
		p = append(p, fmt.Sprintf("the focus ring sticks out of its %0.fpx-wide page (%.0f..%.0f)", s.Width, s.Left, s.Right))
	}
	if s.Top < s.ViewTop-0.5 || s.Bottom > s.ViewBottom+0.5 {
		p = append(p, fmt.Sprintf("off screen or under the close bar (%.0f..%.0f; visible %.0f..%.0f)", s.Top, s.Bottom, s.ViewTop, s.ViewBottom))
	}
	return strings.Join(p, "; ")
}

// stop checks the focus after a key: it is on what matches want (a CSS
// selector in the frame, or in the host page when want starts with
// "host:"), and shows. Scrolling that follows a step (the host reveals the
// frame's heading after a postMessage) may take a moment, so the check is
// retried for a few seconds before it fails.
func (k *kbRun) stop(what, want string) focusState {
	k.t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		s := k.focus()
		ok := k.matches(s, want)
		if ok && s.problem() == "" || time.Now().After(deadline) {
			k.stops++
			switch {
			case !ok:
				k.t.Errorf("stop %d (%s): the focus is on %s (in frame: %v), want %s", k.stops, what, s.Desc, s.InFrame, want)
			case s.problem() != "":
				k.t.Errorf("stop %d (%s): %s: %s", k.stops, what, s.Desc, s.problem())
			default:
				k.t.Logf("stop %d (%s): %s, %s", k.stops, what, s.Desc, s.Style)
			}
			return s
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func (k *kbRun) matches(s focusState, want string) bool {
	k.t.Helper()
	if sel, ok := strings.CutPrefix(want, "host:"); ok {
		return !s.InFrame && evalHost[bool](k.browserRun, fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, sel))
	}
	return s.InFrame && evalFrame[bool](k.browserRun, fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, want))
}

// tabTo presses Tab (Shift+Tab when back) until the focus is on want,
// checking that every control it passes shows its focus.
func (k *kbRun) tabTo(what, want string, back bool) {
	k.t.Helper()
	var mods []chromedp.Modifier
	if back {
		mods = append(mods, chromedp.ModifierShift)
	}
	for i := 0; i < 40; i++ {
		k.press(kb.Tab, mods...)
		s := k.waitFocusMoved()
		if k.matches(s, want) {
			k.stop(what, want)
			return
		}
		k.stops++
		if p := s.problem(); p != "" {
			k.t.Errorf("stop %d (on the way to %s): %s: %s", k.stops, what, s.Desc, p)
		}
	}
	k.fail("tab to "+what, fmt.Errorf("40 presses of Tab did not reach %s", want))
}

// waitFocusMoved reads the focus once it has settled in a document: a
// focus moving into the frame is first seen on the iframe element alone.
func (k *kbRun) waitFocusMoved() focusState {
	k.t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		s := k.focus()
		if s.Desc != "body" || time.Now().After(deadline) {
			return s
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// step presses key on the focused control and waits for the next step's
// heading to have the focus (widget.js moves it there after the swap).
func (k *kbRun) step(what, key, heading string) {
	k.t.Helper()
	k.press(key)
	k.waitFor(k.frameCtx, what, fmt.Sprintf(`!!document.activeElement && document.activeElement.matches('h1') && document.activeElement.textContent.trim() === %q`, heading))
	k.stop(what+": the heading", "h1")
}

func focusEmulation(b *browserRun, ctx context.Context) {
	b.t.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
	if err != nil {
		b.fail("focus emulation", err)
	}
}

// TestWidgetKeyboardInBrowser books with the keyboard only (Tab, Shift+Tab,
// Enter, Space and typing; no mouse, no script moving the focus) in the
// widget embedded with embed.js, inline and in the floating button's
// dialog, and checks the focus at every stop (issue 8, item 20): it is on
// the expected control, which shows a focus indicator (a computed outline
// or box-shadow) that no overflow cuts and that is on screen, below the
// dialog's sticky close bar. On the way: each step's heading gets the
// focus and shows it (a rule hid it); pressing − down to its bound keeps
// the focus on − (it fell to the page's body); in the dialog, Shift+Tab
// from Close goes to the frame's last control and Tab from there back to
// Close, and the heading after Continue and Confirm is not under the bar.
func TestWidgetKeyboardInBrowser(t *testing.T) {
	u := newUXEnv(t, 4*time.Minute)
	widgetOrigin := strings.Replace(u.srv.URL, "127.0.0.1", "localhost", 1)
	first, tue1, tue2 := u.evs[0], u.evs[2], u.evs[4]

	for _, mode := range []string{"inline", "dialog"} {
		t.Run(mode, func(t *testing.T) {
			attrs := `data-groupbook="sunrise"`
			if mode == "dialog" {
				attrs += ` data-mode="button"`
			}
			host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/" {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sunrise Yoga</title></head>
<body><h1>Sunrise Yoga</h1><p>Book a class below.</p>
<script src="%s/embed.js" %s async></script>
<p>Király utca 1, Budapest</p></body></html>`, widgetOrigin, attrs)
			}))
			defer host.Close()
			ctx := u.br.scenario(t, 90*time.Second, u.problems)
			b := &browserRun{t: t, tab: u.br.tab, ctx: ctx, dir: u.br.shots, start: time.Now(), last: time.Now(), problems: u.problems}
			defer b.finish()
			k := &kbRun{browserRun: b, dialog: mode == "dialog"}
			b.host(chromedp.EmulateViewport(viewportWidth, viewportHeight), chromedp.Navigate(host.URL+"/"))
			focusEmulation(b, ctx)

			if k.dialog {
				b.host(chromedp.WaitVisible(chromedp.CSS("button.groupbook-button")))
				k.tabTo("the Book button", "host:button.groupbook-button", false)
				k.press(kb.Enter)
				b.host(chromedp.WaitVisible(chromedp.CSS("iframe.groupbook-frame")))
				k.stop("the dialog's Close button", "host:[role=dialog] button")
			} else {
				b.host(chromedp.WaitVisible(chromedp.CSS("iframe.groupbook-frame")))
			}
			b.attachFrame(widgetOrigin + "/w/sunrise?")
			focusEmulation(b, b.frameCtx)
			b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-events a")))

			if k.dialog {
				// The focus trap, both ways round, each one key press.
				k.press(kb.Tab, chromedp.ModifierShift)
				k.stop("Shift+Tab from Close: the frame's last control", ".gb-lang li:last-child a")
				k.press(kb.Tab)
				k.stop("Tab from the frame's last control: Close", "host:[role=dialog] button")
				k.press(kb.Tab)
				k.stop("Tab from Close: the frame's first control", "#gb-f-service")
			}

			// The list: Tab to the first Tuesday, Enter.
			k.tabTo("the first Tuesday", fmt.Sprintf(`a.gb-event[href*="/w/sunrise/e/%d?"]`, first.ID), false)
			k.step("open the event", kb.Enter, "Yoga")

			// The event page: Tuesdays only (Enter on the chip), two more
			// dates (Space), three seats, then − down to one (and once
			// more at the bound), + back to two, Continue.
			k.tabTo("the Tue chip", `.gb-chip[aria-pressed="false"]:first-child`, false)
			k.step("filter to Tuesdays", kb.Enter, "Yoga")
			for _, ev := range []booking.Event{tue1, tue2} {
				k.tabTo("a Tuesday", fmt.Sprintf(`input[name=also][value="%d"]`, ev.ID), false)
				k.press(" ")
				k.stop("ticked", fmt.Sprintf(`input[name=also][value="%d"]:checked`, ev.ID))
			}
			k.tabTo("+", `[data-gb-step="1"]`, false)
			k.press(kb.Enter)
			k.press(kb.Enter)
			k.stop("+ pressed twice", `[data-gb-step="1"]`)
			k.tabTo("−", `[data-gb-step="-1"]`, true)
			for _, want := range []string{"2", "1", "1"} {
				k.press(kb.Enter)
				k.stop("− pressed, "+want+" seats", `[data-gb-step="-1"]`)
				if got := evalFrame[string](b, `document.querySelector('input[name=seats]').value`); got != want {
					t.Errorf("seats %q after −, want %s", got, want)
				}
			}
			if got := evalFrame[string](b, `String(document.querySelector('[data-gb-step="-1"]').getAttribute('aria-disabled'))`); got != "true" {
				t.Errorf("− at one seat: aria-disabled=%q, want true", got)
			}
			b.snap(mode + "-keyboard-stepper-at-bound")
			k.tabTo("+", `[data-gb-step="1"]`, false)
			k.press(kb.Enter)
			k.stop("+ pressed", `[data-gb-step="1"]`)
			k.tabTo("Continue", `form.gb-select > button[type=submit]:not([name])`, false)
			b.snap(mode + "-keyboard-continue")
			k.step("Continue", kb.Enter, "Your details")
			b.snap(mode + "-keyboard-contact")

			// The contact form.
			phone := map[string]string{"inline": "+36 20 123 4567", "dialog": "+36 30 765 4321"}[mode]
			k.tabTo("first name", "#gb-first_name", false)
			k.typeText("Anna")
			k.tabTo("last name", "#gb-last_name", false)
			k.typeText("Kovács")
			k.tabTo("phone", "#gb-phone", false)
			k.typeText(phone)
			k.tabTo("Confirm", "form.gb-contact button[type=submit]", false)
			k.step("Confirm", kb.Enter, "3 bookings confirmed")
			b.snap(mode + "-keyboard-confirmed")

			// Cancel the first booking: its Change menu, Cancel, then yes.
			k.tabTo("Change", "details[data-gb-change] > summary", false)
			k.press(kb.Enter)
			k.tabTo("Cancel", "a[data-gb-cancel]", false)
			k.step("Cancel", kb.Enter, "Cancel "+first.StartsAt.In(u.f.Location.Zone()).Format("Mon 2 Jan 15:04")+"?")
			k.tabTo("Yes, cancel", "form.gb-cancel button[type=submit]", false)
			k.step("Yes, cancel", kb.Enter, "Your bookings")
			if n := evalFrame[int](b, `document.querySelectorAll('.gb-booking--cancelled').length`); n != 1 {
				t.Errorf("%d cancelled bookings shown, want 1", n)
			}
			e164 := "+" + strings.NewReplacer(" ", "", "+", "").Replace(phone)
			cl, err := u.f.Store.ClientByPhone(context.Background(), u.f.Location.ID, e164)
			if err != nil {
				t.Fatalf("the client: %v", err)
			}
			for _, ev := range []booking.Event{first, tue1, tue2} {
				bs, err := u.f.Store.EventBookings(context.Background(), ev.ID)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, bk := range bs {
					if bk.ClientID == cl.ID && bk.Seats == 2 {
						n++
					}
				}
				if n != 1 {
					t.Errorf("event %d: %d bookings of 2 seats by %s, want 1", ev.ID, n, e164)
				}
			}
			t.Logf("%s: %d focus stops checked", mode, k.stops)
		})
	}
}
