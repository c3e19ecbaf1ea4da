package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"groupbook/booking/booktest"
	"groupbook/locales"
)

// embedLabelIDs are the locale ids of embed.js's texts, by the key embed.js
// reads them under.
var embedLabelIDs = map[string]string{"button": "embed_button", "close": "embed_close", "title": "embed_title"}

// labelsRe finds the labels the server filled into embed.js.
var labelsRe = regexp.MustCompile(`var LABELS = (\{.*?\});\n`)

// jsStringRe finds JavaScript string literals ('…' and "…").
var jsStringRe = regexp.MustCompile(`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"`)

// TestEmbedJSLabels: /embed.js carries the button's and the dialog's texts
// in all five languages, taken from the locale files, and its code holds no
// text a person reads (issue 8, item 17: it said "Book", "Close" and
// "Booking" in English whatever data-lang said). It stays one cacheable
// file: five minutes, with an ETag.
func TestEmbedJSLabels(t *testing.T) {
	e := newWidgetEnv(t, booktest.Open(t, booktest.SQLite))
	bundle, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	res := e.get("/embed.js")
	if res.code != http.StatusOK || !strings.HasPrefix(res.hdr.Get("Content-Type"), "text/javascript") {
		t.Fatalf("/embed.js: %d %q", res.code, res.hdr.Get("Content-Type"))
	}
	if cc := res.hdr.Get("Cache-Control"); cc != "public, max-age=300" || res.hdr.Get("ETag") == "" {
		t.Errorf("/embed.js: Cache-Control %q, ETag %q", cc, res.hdr.Get("ETag"))
	}
	m := labelsRe.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no labels in /embed.js:\n%s", res.body)
	}
	var labels map[string]map[string]string
	if err := json.Unmarshal([]byte(m[1]), &labels); err != nil {
		t.Fatalf("labels %s: %v", m[1], err)
	}
	if len(labels) != len(bundle.Languages()) {
		t.Errorf("labels for %d languages, want %d (%v)", len(labels), len(bundle.Languages()), bundle.Languages())
	}
	for _, lang := range bundle.Languages() {
		l := bundle.Localizer(lang)
		for key, id := range embedLabelIDs {
			if got, want := labels[lang][key], l.T(id); got != want || got == "" {
				t.Errorf("%s %s: %q, want %q from the locale files", lang, key, got, want)
			}
		}
	}

	// The code around the labels: every string literal in it is code (a
	// CSS value, an event or attribute name, a developer's console
	// warning), never one of the texts, nor any other capitalised prose.
	en := bundle.Localizer("en")
	texts := []string{en.T("embed_button"), en.T("embed_close"), en.T("embed_title"), en.T("admin_links_embed_button")}
	code := strings.Replace(res.body, m[1], "{}", 1)
	prose := regexp.MustCompile(`\b[A-Z][a-z]+\b`)
	for _, lit := range jsStringRe.FindAllString(code, -1) {
		s := lit[1 : len(lit)-1]
		for _, text := range texts {
			if strings.EqualFold(s, text) {
				t.Errorf("embed.js hard-codes %s", lit)
			}
		}
		switch {
		case s == "Escape": // a key name
		case strings.Contains(s, "system-ui"): // a font stack
		case prose.MatchString(s):
			t.Errorf("embed.js has a literal that reads like text for people: %s", lit)
		}
	}
}

// TestEmbedJSLabelsInBrowser: on a host page, each floating button, its
// dialog, Close button and frame are labelled in the language data-lang
// names, for all five; without data-lang, in the host page's language
// (<html lang="hu">); explicit data-label/data-title/data-close-label win.
func TestEmbedJSLabelsInBrowser(t *testing.T) {
	e := newWidgetEnv(t, booktest.Open(t, booktest.SQLite))
	bundle, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	widget := httptest.NewServer(e.router)
	defer widget.Close()
	widgetOrigin := strings.Replace(widget.URL, "127.0.0.1", "localhost", 1)

	type want struct{ lang, button, close, title string }
	var wants []want
	var tags strings.Builder
	for _, lang := range bundle.Languages() {
		l := bundle.Localizer(lang)
		wants = append(wants, want{lang, l.T("embed_button"), l.T("embed_close"), l.T("embed_title")})
		fmt.Fprintf(&tags, `<script src="%s/embed.js" data-groupbook="sunrise" data-mode="button" data-lang="%s" data-utm-campaign="s%d" async></script>`+"\n", widgetOrigin, lang, len(wants)-1)
	}
	hu := bundle.Localizer("hu")
	wants = append(wants, want{"", hu.T("embed_button"), hu.T("embed_close"), hu.T("embed_title")})
	fmt.Fprintf(&tags, `<script src="%s/embed.js" data-groupbook="sunrise" data-mode="button" data-utm-campaign="s%d" async></script>`+"\n", widgetOrigin, len(wants)-1)
	wants = append(wants, want{"uk", "Book a class", "Shut", "Our classes"})
	fmt.Fprintf(&tags, `<script src="%s/embed.js" data-groupbook="sunrise" data-mode="button" data-lang="uk" data-label="Book a class" data-close-label="Shut" data-title="Our classes" data-utm-campaign="s%d" async></script>`+"\n", widgetOrigin, len(wants)-1)

	page := `<!doctype html><html lang="hu"><head><meta charset="utf-8"><title>Stúdió</title></head><body><h1>Stúdió</h1>` + tags.String() + `</body></html>`
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	defer host.Close()

	problems := &browserProblems{}
	br := startBrowser(t, 2*time.Minute, problems.listener("host page"))
	ctx := br.scenario(t, time.Minute, problems)
	defer problems.report(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(host.URL+"/")); err != nil {
		t.Fatal(err)
	}
	type seen struct {
		Button string `json:"button"`
		Dialog string `json:"dialog"`
		Close  string `json:"close"`
		Frame  string `json:"frame"`
		Src    string `json:"src"`
	}
	// Each button opens its dialog (built on first open), which is read and
	// closed again. Async scripts run in any order, so the buttons are
	// told apart by the utm_campaign (s0, s1, …) their frame carries.
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]seen](fmt.Sprintf(`new Promise(resolve => {
	const poll = () => {
		const buttons = document.querySelectorAll('button.groupbook-button');
		if (buttons.length < %d) return setTimeout(poll, 20);
		resolve(Array.from(buttons, b => {
			b.click();
			const d = Array.from(document.querySelectorAll('[role=dialog]')).pop();
			const s = {button: b.textContent, dialog: d.getAttribute('aria-label'),
				close: d.querySelector('button').getAttribute('aria-label'),
				frame: d.querySelector('iframe').title, src: d.querySelector('iframe').src};
			d.querySelector('button').click();
			return s;
		}));
	};
	poll();
})`, len(wants)), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(wants) {
		t.Fatalf("%d buttons, want %d", len(got), len(wants))
	}
	bySrc := map[string]seen{}
	for _, g := range got {
		u, err := url.Parse(g.Src)
		if err != nil {
			t.Fatal(err)
		}
		bySrc[u.Query().Get("utm_campaign")] = g
	}
	for i, w := range wants {
		g := bySrc[fmt.Sprintf("s%d", i)]
		if g.Button != w.button || g.Dialog != w.title || g.Close != w.close || g.Frame != w.title {
			t.Errorf("data-lang=%q: button %q, dialog %q, close %q, frame %q; want %q, %q, %q, %q",
				w.lang, g.Button, g.Dialog, g.Close, g.Frame, w.button, w.title, w.close, w.title)
		}
		if w.lang != "" && !strings.Contains(g.Src, "lang="+w.lang) {
			t.Errorf("data-lang=%q: the frame opens %s, without lang=%s", w.lang, g.Src, w.lang)
		}
	}
}
