package handlers

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// urlScan collects every URL the widget hands the browser: links, form
// actions (a GET form's fields too, since they become its query string),
// hx-* attributes, data-* attributes that hold URLs, meta refresh, and the
// redirect headers.
type urlScan struct {
	t    *testing.T
	e    *widgetEnv
	urls []string
}

func (s *urlScan) get(path string) *page {
	s.t.Helper()
	p := s.e.get(path)
	s.add(path, p)
	return p
}

func (s *urlScan) post(path string, form url.Values) *page {
	s.t.Helper()
	p := s.e.post(path, form)
	s.add(path, p)
	return p
}

// add collects the URLs of one response (and the requested one).
func (s *urlScan) add(requested string, p *page) {
	s.urls = append(s.urls, requested)
	for _, h := range []string{"Location", "HX-Redirect", "HX-Location", "HX-Push-Url", "HX-Replace-Url", "Refresh", "Content-Location"} {
		if v := p.hdr.Get(h); v != "" {
			s.urls = append(s.urls, v)
		}
	}
	if p.doc == nil {
		return
	}
	p.doc.Find("*").Each(func(_ int, el *goqSel) {
		for _, a := range el.Nodes[0].Attr {
			k := strings.ToLower(a.Key)
			switch {
			case k == "href", k == "src", k == "srcset", k == "action", k == "formaction", k == "poster", k == "ping",
				strings.HasPrefix(k, "hx-"):
				s.urls = append(s.urls, a.Val)
			case strings.HasPrefix(k, "data-") && (strings.HasPrefix(a.Val, "/") || strings.HasPrefix(a.Val, "http")):
				s.urls = append(s.urls, a.Val)
			}
		}
	})
	p.doc.Find("meta[http-equiv]").Each(func(_ int, m *goqSel) {
		s.urls = append(s.urls, m.AttrOr("content", ""))
	})
	p.doc.Find("form").Each(func(_ int, f *goqSel) {
		if m := strings.ToLower(f.AttrOr("method", "get")); m != "get" {
			return
		}
		q := url.Values{}
		f.Find("input[name], select[name], textarea[name]").Each(func(_ int, in *goqSel) {
			q.Add(in.AttrOr("name", ""), in.AttrOr("value", in.Text()))
		})
		s.urls = append(s.urls, f.AttrOr("action", "")+"?"+q.Encode())
	})
}

// leaks tells whether u carries digits of the phone: as written, URL
// decoded, with separators dropped, or inside any base64 part of its path
// or query (a signed token's payload is only encoded, not secret).
func leaks(u, digits string) bool {
	cands := []string{u}
	if d, err := url.QueryUnescape(u); err == nil {
		cands = append(cands, d)
	}
	if parsed, err := url.Parse(u); err == nil {
		parts := strings.Split(parsed.Path, "/")
		for _, vs := range parsed.Query() {
			parts = append(parts, vs...)
		}
		for _, part := range parts {
			for _, seg := range strings.Split(part, ".") {
				for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
					if b, err := enc.DecodeString(seg); err == nil {
						cands = append(cands, string(b))
					}
				}
			}
		}
	}
	drop := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "", "+", "", "\u00a0", "")
	for _, c := range cands {
		if strings.Contains(c, digits) || strings.Contains(drop.Replace(c), digits) {
			return true
		}
	}
	return false
}

// TestPhoneNeverInURL runs the booking flow with SMS confirmation end to
// end (selection, the pencil back to it, a contact error, the code step
// with a wrong code and a resend, the booking, its manage page and
// calendar links, a repeated booking refused with its manage link, and
// joining a waitlist with the proof) and checks that no URL any response
// hands the browser carries the phone's last 7 digits.
func TestPhoneNeverInURL(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		waitlistLink(t, e, true)
		s := &urlScan{t: t, e: e}
		evs := e.f.YogaEvents(t, 3, 10)
		last7 := verifyPhone[len(verifyPhone)-7:]

		s.get("/w/sunrise")
		s.get("/w/sunrise/e/" + itoa64(evs[0].ID))
		step := s.get("/w/sunrise/contact?event=" + itoa64(evs[0].ID) + "&seats=1&also=" + itoa64(evs[1].ID))
		form := contact(step.hidden("s"))

		// A contact error: the form comes back with the phone in it.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("email", "not an email")
		if p := s.post("/w/sunrise/book", bad); p.code != http.StatusUnprocessableEntity {
			t.Fatalf("contact error: %d", p.code)
		}
		code := s.post("/w/sunrise/book", form)
		if code.code != http.StatusOK || code.hidden("p") == "" {
			t.Fatalf("code step: %d\n%s", code.code, code.body)
		}
		// The pencil and the language links of the code step.
		for _, sel := range []string{`a[href*="/e/"]`, `a[href*="/contact"]`} {
			if href, ok := code.doc.Find(sel).First().Attr("href"); ok {
				s.get(href)
			}
		}
		pending := code.hidden("p")
		if p := s.post("/w/sunrise/verify", url.Values{"p": {pending}, "code": {"000000"}}); p.code != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code: %d", p.code)
		}
		e.f.Now = e.f.Now.Add(31 * time.Second)
		s.post("/w/sunrise/verify/resend", url.Values{"p": {pending}})
		done := s.post("/w/sunrise/verify", url.Values{"p": {pending}, "code": {e.codes.Code(verifyPhone)}})
		if done.code != http.StatusSeeOther {
			t.Fatalf("right code: %d\n%s", done.code, done.body)
		}
		loc, _ := url.Parse(done.hdr.Get("Location"))
		proof := loc.Query().Get("pv")
		if proof == "" {
			t.Fatal("no proof after the code: the scan would miss it")
		}
		manage := s.get(done.hdr.Get("Location"))
		if manage.code != http.StatusOK {
			t.Fatalf("manage page: %d", manage.code)
		}
		// Its calendar files and links, and the pencil of a new booking.
		manage.doc.Find(`a[href$=".ics"], a[href*=".ics?"]`).Each(func(_ int, a *goqSel) { s.get(a.AttrOr("href", "")) })

		// Booking the same class again with the proof: refused, shown
		// with its manage link.
		again := contact(s.get("/w/sunrise/contact?event=" + itoa64(evs[0].ID) + "&seats=1&also=" + itoa64(evs[2].ID)).hidden("s"))
		again.Set("pv", proof)
		rep := s.post("/w/sunrise/book", again)
		if rep.code != http.StatusConflict || rep.doc.Find("[data-gb-already]").Length() != 1 {
			t.Fatalf("repeat: %d\n%s", rep.code, rep.body)
		}
		if href, ok := rep.doc.Find("[data-gb-already-manage]").Attr("href"); ok {
			s.get(href)
		}

		// Joining a full class's waitlist with the proof: no code, in line.
		full, _ := fullEvent(t, e, 1, 2)
		wstep := s.get("/w/sunrise/waitlist?event=" + itoa64(full.ID) + "&seats=1&pv=" + url.QueryEscape(proof))
		wform := contact(wstep.hidden("s"))
		wform.Set("pv", proof)
		joined := s.post("/w/sunrise/waitlist", wform)
		if joined.code != http.StatusSeeOther {
			t.Fatalf("waitlist join: %d\n%s", joined.code, joined.body)
		}
		s.get(joined.hdr.Get("Location"))

		n := 0
		for _, u := range s.urls {
			if strings.Contains(u, "pv=") {
				n++
			}
			if leaks(u, last7) {
				t.Errorf("a URL carries the phone: %s", u)
			}
		}
		if n == 0 || len(s.urls) < 50 {
			t.Errorf("the scan saw %d URLs, %d with a proof: too few to mean anything", len(s.urls), n)
		}
	})
}

// TestPhoneScanCatchesLeaks checks the scan itself: the phone plainly, in
// separators, percent-encoded or in a token's base64 payload is found.
func TestPhoneScanCatchesLeaks(t *testing.T) {
	last7 := verifyPhone[len(verifyPhone)-7:]
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"p":"phone-proof","v":{"l":1,"p":"` + verifyPhone + `"}}`))
	for _, u := range []string{
		"/w/sunrise?phone=%2B36201234567",
		"/w/sunrise?phone=06+20+123+4567",
		"/w/sunrise?phone=06-20-123-4567",
		"/m/abc?pv=" + payload + ".c2ln",
	} {
		if !leaks(u, last7) {
			t.Errorf("not caught: %s", u)
		}
	}
	if leaks("/w/sunrise/e/42?seats=1&pv=abc.def", last7) {
		t.Error("a clean URL reported")
	}
}
