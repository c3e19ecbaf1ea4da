package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// langHref is the switcher's link to lang, parsed.
func langHref(t *testing.T, p *page, lang string) *url.URL {
	t.Helper()
	href, ok := p.doc.Find(`#gb-lang-nav a[hreflang="` + lang + `"]`).Attr("href")
	if !ok {
		t.Fatalf("no %s link in the language switcher:\n%s", lang, p.body)
	}
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The language switcher sits outside the part htmx swaps, so it used to
// keep pointing at the first page loaded, and after a posted step at a URL
// that cannot be fetched. Each fragment now sends it along out of band,
// pointing at the step the client is on; posted steps point at the
// contact step of their selection.
func TestLanguageLinksFollowTheStep(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 2, 10)

		// A full page carries the switcher in place, not out of band.
		full := e.get("/w/sunrise?lang=en")
		if full.doc.Find("#gb-lang-nav").Length() != 1 || full.doc.Find("[hx-swap-oob]").Length() != 0 {
			t.Errorf("full page: %d switchers, %d out-of-band elements", full.doc.Find("#gb-lang-nav").Length(), full.doc.Find("[hx-swap-oob]").Length())
		}

		// An htmx step: the content and, out of band, links to this step.
		ev := "/w/sunrise/e/" + itoa64(evs[0].ID)
		frag := e.get(ev+"?lang=en", "HX-Request", "true")
		if strings.Contains(frag.body, "<html") || frag.doc.Find(`#gb-lang-nav[hx-swap-oob="true"]`).Length() != 1 {
			t.Fatalf("event fragment without the out-of-band switcher:\n%s", frag.body)
		}
		if u := langHref(t, frag, "hu"); u.Path != ev || u.Query().Get("lang") != "hu" {
			t.Errorf("event fragment's Magyar link = %s", u)
		}

		// A posted contact form with an error: the links lead to the contact
		// step of the same selection, which loads in that language.
		form := contact(e.contactForm(evs[0], "2", evs[1]).hidden("s"))
		form.Set("phone", "")
		bad := e.post("/w/sunrise/book", form, "HX-Request", "true")
		if bad.code != http.StatusUnprocessableEntity {
			t.Fatalf("contact without a phone: %d", bad.code)
		}
		u := langHref(t, bad, "uk")
		q := u.Query()
		if u.Path != "/w/sunrise/contact" || q.Get("event") != itoa64(evs[0].ID) || q.Get("seats") != "2" || q.Get("also") != itoa64(evs[1].ID) || q.Get("lang") != "uk" {
			t.Fatalf("Українська after a posted form = %s", u)
		}
		again := e.get(u.String())
		if lang, _ := again.doc.Find("html").Attr("lang"); again.code != http.StatusOK || lang != "uk" || again.hidden("s") == "" {
			t.Errorf("following it: %d, lang %q", again.code, lang)
		}

		// The SMS code form (posted too) leads back to its contact step.
		smsLink(t, e)
		code := e.post("/w/sunrise/book", contact(e.contactForm(evs[0], "1").hidden("s")))
		if u := langHref(t, code, "pt"); u.Path != "/w/sunrise/contact" || u.Query().Get("event") != itoa64(evs[0].ID) {
			t.Errorf("code form's Português link = %s", u)
		}
	})
}
