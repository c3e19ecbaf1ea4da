package handlers

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// meEnv is the fixture of the My bookings tests: the client of verifyPhone
// ("Anna Kovács") booked two Yoga dates together and had a Pilates class
// that is over; another client booked the first date too.
type meEnv struct {
	*widgetEnv
	mine, theirs *booking.Reservation
	past         *booking.Reservation
	evs          []*booking.Event
	// responses are every answer of the flow, for the URL scan.
	responses []*page
}

func newMeEnv(t *testing.T, db *bun.DB) *meEnv {
	t.Helper()
	e := &meEnv{widgetEnv: newWidgetEnv(t, db)}
	ctx := context.Background()
	f := e.f
	// The past class, booked the day before.
	f.Now = f.Now.Add(-24 * time.Hour)
	early := f.Event(t, f.Pilates, f.Marton, booktest.Now.Add(-3*time.Hour), 8)
	var err error
	anna := booking.ClientInput{Phone: verifyPhone, FirstName: "Anna", LastName: "Kovács"}
	if e.past, err = f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{early.ID}, Seats: 1, Client: anna, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	f.Now = booktest.Now
	e.evs = f.YogaEvents(t, 3, 10)
	if e.mine, err = f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{e.evs[0].ID, e.evs[1].ID}, Seats: 2, Client: anna, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	other := booking.ClientInput{Phone: "+36309876543", FirstName: "Béla", LastName: "Szabó"}
	if e.theirs, err = f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{e.evs[0].ID}, Seats: 1, Client: other, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *meEnv) get(path string, header ...string) *page {
	e.t.Helper()
	p := e.widgetEnv.get(path, header...)
	e.responses = append(e.responses, p)
	return p
}

func (e *meEnv) post(path string, form url.Values, header ...string) *page {
	e.t.Helper()
	p := e.widgetEnv.post(path, form, header...)
	e.responses = append(e.responses, p)
	return p
}

// codeFor submits the phone form and returns the code page.
func (e *meEnv) codeFor(typed string) *page {
	e.t.Helper()
	p := e.post("/w/sunrise/me", url.Values{"phone": {typed}})
	if p.code != http.StatusOK || p.hidden("p") == "" {
		e.t.Fatalf("phone %q: %d\n%s", typed, p.code, p.body)
	}
	return p
}

// open confirms the phone with its code and follows the redirect to the
// My bookings page; it returns the page and its path.
func (e *meEnv) open(typed, phone string) (*page, string) {
	e.t.Helper()
	code := e.codeFor(typed)
	r := e.post("/w/sunrise/me/verify", url.Values{"p": {code.hidden("p")}, "code": {e.codes.Code(phone)}})
	if r.code != http.StatusSeeOther {
		e.t.Fatalf("right code: %d\n%s", r.code, r.body)
	}
	loc := r.hdr.Get("Location")
	if !strings.HasPrefix(loc, "/w/sunrise/me/") {
		e.t.Fatalf("right code leads to %q", loc)
	}
	p := e.get(loc)
	if p.code != http.StatusOK {
		e.t.Fatalf("My bookings page: %d\n%s", p.code, p.body)
	}
	u, _ := url.Parse(loc)
	return p, u.Path
}

// clientTraces are what would give the client away on a page before the
// code: their name, their bookings' manage tokens, the team member.
func (e *meEnv) clientTraces() []string {
	return []string{"Kovács", "Szabó", e.mine.Group.Token, e.theirs.Group.Token, e.past.Group.Token, "Sofie", "/m/"}
}

func TestMyBookingsFlow(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newMeEnv(t, db)
		// Every widget page leads to My bookings, keeping language and frame.
		list := e.get("/w/sunrise?lang=hu&embed=1")
		href, ok := list.doc.Find("a[data-gb-me-link]").Attr("href")
		if !ok {
			t.Fatal("no My bookings link on the list")
		}
		if u, _ := url.Parse(href); u.Path != "/w/sunrise/me" || u.Query().Get("lang") != "hu" || u.Query().Get("embed") != "1" {
			t.Errorf("My bookings link %q", href)
		}
		if m := e.get("/m/" + e.mine.Group.Token); m.doc.Find("a[data-gb-me-link]").Length() != 1 {
			t.Error("no My bookings link on the manage page")
		}
		if l := e.get("/w/sunrise", "HX-Request", "true"); l.doc.Find(`nav#gb-me-nav[hx-swap-oob] a[data-gb-me-link]`).Length() != 1 {
			t.Error("the list fragment does not bring the My bookings link back")
		}
		// The phone form, without the link to itself.
		before := len(e.responses)
		form := e.get("/w/sunrise/me")
		if form.code != http.StatusOK || form.doc.Find("form[data-gb-me-phone] input[name=phone]").Length() != 1 {
			t.Fatalf("phone form: %d\n%s", form.code, form.body)
		}
		if form.doc.Find("a[data-gb-me-link]").Length() != 0 {
			t.Error("the phone form links to itself")
		}
		// htmx swaps carry the nav out of band: empty on My bookings.
		frag := e.get("/w/sunrise/me", "HX-Request", "true")
		if frag.doc.Find(`nav#gb-me-nav[hx-swap-oob]`).Length() != 1 || frag.doc.Find("a[data-gb-me-link]").Length() != 0 {
			t.Errorf("fragment's out-of-band nav:\n%s", frag.body)
		}

		// A bad phone: 422 at the field, no code sent.
		for _, typed := range []string{"", "06 20 123", "not a phone"} {
			bad := e.post("/w/sunrise/me", url.Values{"phone": {typed}})
			if bad.code != http.StatusUnprocessableEntity || bad.text("#gb-phone-error") == "" || bad.hidden("p") != "" {
				t.Errorf("phone %q: %d %q", typed, bad.code, bad.text("#gb-phone-error"))
			}
		}

		// The code step: the same for a known and an unknown phone, and
		// nothing of the client on it.
		known := e.codeFor("06 20 123 4567")
		unknown := e.codeFor("06 30 111 2222")
		norm := func(p *page, phone string) string { return strings.ReplaceAll(p.text("main"), phone, "PHONE") }
		if a, b := norm(known, verifyPhone), norm(unknown, "+36301112222"); a != b {
			t.Errorf("the code step differs for a known and an unknown phone:\n%s\n%s", a, b)
		}
		if known.code != unknown.code {
			t.Errorf("status %d for a known phone, %d for an unknown one", known.code, unknown.code)
		}
		// A wrong code: 422 at the field, no page.
		wrong := e.post("/w/sunrise/me/verify", url.Values{"p": {known.hidden("p")}, "code": {"000000"}})
		if wrong.code != http.StatusUnprocessableEntity || !strings.Contains(wrong.text("#gb-code-error"), "not correct") || wrong.hdr.Get("Location") != "" {
			t.Errorf("wrong code: %d %q", wrong.code, wrong.text("#gb-code-error"))
		}
		// An empty code is not a try.
		if empty := e.post("/w/sunrise/me/verify", url.Values{"p": {known.hidden("p")}, "code": {" "}}); empty.code != http.StatusUnprocessableEntity || empty.text("#gb-code-error") == "" {
			t.Errorf("empty code: %d", empty.code)
		}
		// Another phone's code does not open this one.
		if r := e.post("/w/sunrise/me/verify", url.Values{"p": {known.hidden("p")}, "code": {e.codes.Code("+36301112222")}}); r.code != http.StatusUnprocessableEntity {
			t.Errorf("another phone's code: %d", r.code)
		}
		for _, p := range e.responses[before:] {
			for _, s := range e.clientTraces() {
				if strings.Contains(p.body, s) {
					t.Fatalf("a response before the code shows %q:\n%s", s, p.body)
				}
			}
		}

		// The right code: the page lists the client's bookings only.
		e.f.Now = e.f.Now.Add(time.Minute)
		me, mePath := e.open("+36 20 123 4567", verifyPhone)
		if me.doc.Find("a[data-gb-me-link]").Length() != 0 {
			t.Error("My bookings links to itself")
		}
		up := me.doc.Find("[data-gb-me-upcoming] [data-gb-me-booking]")
		if up.Length() != 2 {
			t.Fatalf("%d upcoming bookings, want 2:\n%s", up.Length(), me.body)
		}
		up.Each(func(i int, s *goquery.Selection) {
			id, _ := s.Attr("data-gb-me-booking")
			if id != itoa64(e.mine.Bookings[i].ID) {
				t.Errorf("upcoming %d is booking %s, want %d", i, id, e.mine.Bookings[i].ID)
			}
			manage, _ := s.Find("a[data-gb-me-manage]").Attr("href")
			if u, _ := url.Parse(manage); u == nil || u.Path != "/m/"+e.mine.Group.Token {
				t.Errorf("booking %s manage link %q", id, manage)
			}
			if txt := strings.Join(strings.Fields(s.Text()), " "); !strings.Contains(txt, "Yoga · Sofie") || !strings.Contains(txt, "2 seats") || !strings.Contains(txt, "Booked") {
				t.Errorf("booking %s reads %q", id, txt)
			}
		})
		lt := e.evs[0].StartsAt.In(e.f.Location.Zone())
		if got := me.text("[data-gb-me-upcoming] [data-gb-me-booking]:first-child .gb-booking__when"); !strings.Contains(got, "Tuesday, 3 March") || !strings.Contains(got, lt.Format("15:04")) {
			t.Errorf("first booking's time %q", got)
		}
		past := me.doc.Find("[data-gb-me-past] [data-gb-me-booking]")
		if id, _ := past.Attr("data-gb-me-booking"); past.Length() != 1 || id != itoa64(e.past.Bookings[0].ID) || !strings.Contains(past.Text(), "Pilates") {
			t.Errorf("past: %d %q", past.Length(), past.Text())
		}
		if strings.Contains(me.body, e.theirs.Group.Token) || me.doc.Find("[data-gb-me-booking=\""+itoa64(e.theirs.Bookings[0].ID)+"\"]").Length() != 0 {
			t.Error("another client's booking is listed")
		}
		// A cancelled booking reads as cancelled.
		if _, err := e.f.Store.CancelByAdmin(context.Background(), e.mine.Bookings[1].ID); err != nil {
			t.Fatal(err)
		}
		again := e.get(mePath)
		if got := again.doc.Find("[data-gb-me-booking=\"" + itoa64(e.mine.Bookings[1].ID) + "\"] [data-gb-me-status]"); got.AttrOr("data-gb-me-status", "") != "cancelled" {
			t.Errorf("cancelled booking status %q", got.Text())
		}

		// A phone nobody booked with: the same way in, an empty page.
		e.f.Now = e.f.Now.Add(time.Minute)
		nobody, _ := e.open("06 30 111 2222", "+36301112222")
		if nobody.doc.Find("[data-gb-me-nothing]").Length() != 1 || nobody.doc.Find("[data-gb-me-booking]").Length() != 0 {
			t.Errorf("unknown phone's page:\n%s", nobody.body)
		}

		// Forged tokens and a token of another link: 403, nothing shown.
		token := strings.TrimPrefix(mePath, "/w/sunrise/me/")
		payload, sig, _ := strings.Cut(token, ".")
		second := *e.f.Link
		second.ID, second.Slug, second.Name = 0, "second", "Second"
		if err := e.f.Store.SaveLink(context.Background(), &second); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{
			"/w/sunrise/me/" + payload + "x." + sig,
			"/w/sunrise/me/" + payload,
			"/w/sunrise/me/garbage",
			"/w/second/me/" + token,
		} {
			r := e.get(path)
			if r.code != http.StatusForbidden || r.doc.Find("[data-gb-me-expired]").Length() != 1 || r.doc.Find("[data-gb-me-booking]").Length() != 0 || strings.Contains(r.body, e.mine.Group.Token) {
				t.Errorf("%s: %d", path, r.code)
			}
		}
		// After 30 minutes the page is gone: 410 with a way to start again.
		e.f.Now = e.f.Now.Add(31 * time.Minute)
		gone := e.get(mePath)
		if gone.code != http.StatusGone || gone.doc.Find("[data-gb-me-booking]").Length() != 0 || strings.Contains(gone.body, e.mine.Group.Token) {
			t.Errorf("expired page: %d", gone.code)
		}
		if start, _ := gone.doc.Find("main a.gb-btn").Attr("href"); !strings.HasPrefix(start, "/w/sunrise/me") {
			t.Errorf("expired page's start again link %q", start)
		}
		// The old code form is expired too.
		if r := e.post("/w/sunrise/me/verify", url.Values{"p": {known.hidden("p")}, "code": {e.codes.Code(verifyPhone)}}); r.code != http.StatusGone {
			t.Errorf("expired code form: %d", r.code)
		}

		meScanURLs(t, e.responses, verifyPhone, "+36301112222")
	})
}

func TestMyBookingsLimits(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newMeEnv(t, db)
		first := e.codeFor("06 20 123 4567")
		// A second submit within the cooldown: the code already sent works.
		if again := e.codeFor("06 20 123 4567"); !strings.Contains(again.text(".gb-alert"), "moments ago") {
			t.Errorf("second submit: %q", again.text(".gb-alert"))
		}
		// Resend too soon: 429.
		if r := e.post("/w/sunrise/me/resend", url.Values{"p": {first.hidden("p")}}); r.code != http.StatusTooManyRequests || !strings.Contains(r.text(".gb-alert--error"), "30 seconds") {
			t.Errorf("resend at once: %d %q", r.code, r.text(".gb-alert--error"))
		}
		// Three sends per phone in 15 minutes, counted with the booking
		// confirmation's: the fourth is refused, on either way in.
		for i := 2; i <= 3; i++ {
			e.f.Now = e.f.Now.Add(31 * time.Second)
			if r := e.post("/w/sunrise/me/resend", url.Values{"p": {first.hidden("p")}}); r.code != http.StatusOK {
				t.Fatalf("send %d: %d", i, r.code)
			}
		}
		e.f.Now = e.f.Now.Add(31 * time.Second)
		if r := e.post("/w/sunrise/me/resend", url.Values{"p": {first.hidden("p")}}); r.code != http.StatusTooManyRequests || !strings.Contains(r.text(".gb-alert--error"), "Too many codes") {
			t.Errorf("fourth send: %d %q", r.code, r.text(".gb-alert--error"))
		}
		if r := e.post("/w/sunrise/me", url.Values{"phone": {"+36201234567"}}); r.code != http.StatusTooManyRequests || r.hidden("p") != "" {
			t.Errorf("fourth send from the phone form: %d", r.code)
		}
		smsLink(t, e.widgetEnv)
		form := contact(e.contactForm(e.evs[2], "1").hidden("s"))
		if r := e.post("/w/sunrise/book", form); r.code != http.StatusTooManyRequests {
			t.Errorf("a booking's code after My bookings used up the phone's sends: %d", r.code)
		}

		// Five wrong codes: then even the right one is refused, 429, no
		// code field.
		pending := e.codeFor("06 30 111 2222").hidden("p")
		for i := 0; i < 5; i++ {
			e.post("/w/sunrise/me/verify", url.Values{"p": {pending}, "code": {"111111"}})
		}
		r := e.post("/w/sunrise/me/verify", url.Values{"p": {pending}, "code": {e.codes.Code("+36301112222")}})
		if r.code != http.StatusTooManyRequests || r.doc.Find("input[name=code]").Length() != 0 || r.hdr.Get("Location") != "" {
			t.Errorf("after 5 wrong codes: %d", r.code)
		}
		meScanURLs(t, e.responses, verifyPhone, "+36301112222")
	})
}

// meURLs collects every URL a response gives the browser: links, sources,
// form actions, htmx attributes, the Location header and meta refresh.
func meURLs(p *page) []string {
	var out []string
	if loc := p.hdr.Get("Location"); loc != "" {
		out = append(out, loc)
	}
	for _, h := range []string{"HX-Location", "HX-Redirect", "HX-Push-Url", "HX-Replace-Url", "Refresh"} {
		if v := p.hdr.Get(h); v != "" {
			out = append(out, v)
		}
	}
	if p.doc == nil {
		return out
	}
	p.doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			switch {
			case a.Key == "href", a.Key == "src", a.Key == "action", a.Key == "formaction", strings.HasPrefix(a.Key, "hx-"):
				out = append(out, a.Val)
			case a.Key == "content" && strings.EqualFold(s.AttrOr("http-equiv", ""), "refresh"):
				out = append(out, a.Val)
			}
		}
	})
	return out
}

var meTokenPartRe = regexp.MustCompile(`[A-Za-z0-9_-]{16,}`)

// meScanURLs fails when a run of a phone's last 7 digits is in any URL of
// the responses, as typed or inside a token's readable part (a signed
// token is base64 of JSON: signed is not secret).
func meScanURLs(t *testing.T, responses []*page, phones ...string) {
	t.Helper()
	n := 0
	for _, p := range responses {
		for _, u := range meURLs(p) {
			n++
			texts := []string{u}
			if dec, err := url.QueryUnescape(u); err == nil {
				texts = append(texts, dec)
			}
			for _, part := range meTokenPartRe.FindAllString(u, -1) {
				if raw, err := base64.RawURLEncoding.DecodeString(part); err == nil {
					texts = append(texts, string(raw))
				}
			}
			for _, phone := range phones {
				tail := phone[len(phone)-7:]
				for _, txt := range texts {
					if strings.Contains(strings.NewReplacer(" ", "", "-", "", "%20", "").Replace(txt), tail) {
						t.Errorf("phone %s is in a URL: %q", phone, u)
					}
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d URLs scanned: the scan is not looking", n)
	}
}

func TestMyBookingsPassesAndWaitlist(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newMeEnv(t, db)
		ctx := context.Background()
		f := e.f
		anna, err := f.Store.ClientByPhone(ctx, f.Location.ID, verifyPhone)
		if err != nil {
			t.Fatal(err)
		}
		givePass(t, e.widgetEnv, anna, 7, nil)
		f.WithWaitlist(t, booking.WaitlistInOrder, 60)
		full := f.Event(t, f.Yoga, f.Sofie, e.evs[2].StartsAt.Add(2*time.Hour), 2)
		f.Fill(t, full)
		f.Join(t, 5, 1, full) // someone else is first in line
		req := f.JoinRequest(0, 2, full)
		req.Client = booking.ClientInput{Phone: verifyPhone, FirstName: "Anna", LastName: "Kovács"}
		entry, err := f.Store.JoinWaitlist(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		me, _ := e.open("06 20 123 4567", verifyPhone)
		if got := me.text("[data-gb-me-passes]"); !strings.Contains(got, "10 Yoga classes") || !strings.Contains(got, "7 visits left") || !strings.Contains(got, "valid until") {
			t.Errorf("passes: %q", got)
		}
		w := me.doc.Find("[data-gb-me-waiting] li")
		if w.Length() != 1 || !strings.Contains(w.Text(), "Number 2 in line") || !strings.Contains(w.Text(), "2 seats") {
			t.Errorf("waiting: %d %q", w.Length(), w.Text())
		}
		if href, _ := w.Find("a").Attr("href"); !strings.HasPrefix(href, "/wl/"+entry.Token) {
			t.Errorf("waitlist link %q", href)
		}
		if strings.Contains(me.body, "Béla") || strings.Contains(me.body, "Szabó") {
			t.Error("another client's name on the page")
		}
		meScanURLs(t, e.responses, verifyPhone)
	})
}

// The language and the frame follow the client through My bookings, and
// a manage page of bookings staff made (no public link) has no My
// bookings link.
func TestMyBookingsCarriesState(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newMeEnv(t, db)
		carry := url.Values{"lang": {"hu"}, "embed": {"1"}}
		form := e.get("/w/sunrise/me?" + carry.Encode())
		if l, _ := form.doc.Find("html").Attr("lang"); l != "hu" || form.doc.Find("body.gb-framed").Length() != 1 {
			t.Errorf("phone form: lang %q, framed %d", l, form.doc.Find("body.gb-framed").Length())
		}
		post := url.Values{"phone": {"06 20 123 4567"}}
		for _, f := range form.doc.Find("form[data-gb-me-phone] input[type=hidden]").Nodes {
			var name, value string
			for _, a := range f.Attr {
				switch a.Key {
				case "name":
					name = a.Val
				case "value":
					value = a.Val
				}
			}
			post.Set(name, value)
		}
		code := e.post("/w/sunrise/me", post)
		if l, _ := code.doc.Find("html").Attr("lang"); code.code != http.StatusOK || l != "hu" || !strings.Contains(code.text("main"), "SMS") {
			t.Fatalf("code page: %d, lang %q", code.code, l)
		}
		verify := url.Values{"p": {code.hidden("p")}, "code": {e.codes.Code(verifyPhone)}, "lang": {code.hidden("lang")}, "embed": {code.hidden("embed")}}
		r := e.post("/w/sunrise/me/verify", verify)
		u, err := url.Parse(r.hdr.Get("Location"))
		if r.code != http.StatusSeeOther || err != nil || u.Query().Get("lang") != "hu" || u.Query().Get("embed") != "1" {
			t.Fatalf("right code: %d %q", r.code, r.hdr.Get("Location"))
		}
		me := e.get(u.String())
		if l, _ := me.doc.Find("html").Attr("lang"); l != "hu" || me.doc.Find("[data-gb-me-booking]").Length() != 3 {
			t.Errorf("page: lang %q, %d bookings", l, me.doc.Find("[data-gb-me-booking]").Length())
		}
		if href, _ := me.doc.Find("a[data-gb-me-manage]").First().Attr("href"); !strings.Contains(href, "lang=hu") || !strings.Contains(href, "embed=1") {
			t.Errorf("manage link %q loses the state", href)
		}

		staff, err := e.f.Store.Reserve(context.Background(), booking.ReserveRequest{LocationID: e.f.Location.ID, EventIDs: []int64{e.evs[2].ID}, Seats: 1,
			Client: booktest.Client(40), Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if m := e.get("/m/" + staff.Group.Token); m.code != http.StatusOK || m.doc.Find("a[data-gb-me-link]").Length() != 0 {
			t.Errorf("staff-made manage page: %d, %d My bookings links", m.code, m.doc.Find("a[data-gb-me-link]").Length())
		}
		meScanURLs(t, e.responses, verifyPhone)
	})
}
