package handlers

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// corpusBad are the inputs no keyboard types: a NUL (PostgreSQL refuses
// it in text), invalid UTF-8 (refused too) and a control character.
var corpusBad = []string{"a\x00b", "a\xffb", "a\x1b[2Jb"}

// corpusQuery are the query parameters the handlers read, each sent bad to
// every page.
var corpusQuery = []string{
	"lang", "embed", "parent", "gbframe", "utm_source", "utm_medium", "utm_campaign", "pv",
	"event", "seats", "also", "wd", "all", "offset", "after", "service", "member",
	"q", "phone", "date", "view", "new", "saved", "cancelled", "done", "to", "n", "next", "time", "prevday",
}

// corpusSkip are routes this test leaves to others, with the reason.
var corpusSkip = map[string]string{
	"POST /admin/login": "the sign-in form is tested by the sign-in tests (admin_auth)",
	"GET /healthz":      "takes no input",
	"GET /readyz":       "takes no input",
	"GET /embed.js":     "a static file",
	"GET /favicon.ico":  "a static file",
}

// corpus walks every form of every page, every query parameter of every
// page and every path parameter of every route with bad input, checking
// after each request that it was not a server error, that a refusal wrote
// nothing, and that nothing bad was stored.
type corpus struct {
	t       *testing.T
	e       *adminEnv
	owner   *adminClient
	routes  []corpusRoute
	hit     map[string]bool // "METHOD /pattern" exercised
	cases   int
	serial  int
	ignored map[string]bool // tables a refusal may still write: attempt counters
}

type corpusRoute struct{ method, path string }

func newCorpus(t *testing.T, db *bun.DB) (*corpus, map[string]string) {
	e := newAdminEnv(t, db)
	ctx := context.Background()
	f := e.f
	// Room for every booking the corpus makes where a bad value lands in
	// a field that is rightly ignored (the request then succeeds).
	yoga := f.YogaEvents(t, 3, 1000)
	sms := *f.Link
	sms.ID, sms.Slug, sms.SMSConfirm = 0, "sms", true
	if err := f.Store.SaveLink(ctx, &sms); err != nil {
		t.Fatal(err)
	}
	res, err := f.Store.Reserve(ctx, booking.ReserveRequest{
		LocationID: f.Location.ID, Link: f.Link, Key: "w-corpus", EventIDs: []int64{yoga[0].ID, yoga[1].ID},
		Seats: 1, Client: booktest.Client(90), Lang: "en",
	})
	if err != nil {
		t.Fatal(err)
	}
	// A pass type and a pass of the client, so the Passes area and the
	// client page show every pass form.
	pt, err := f.Store.CreatePassType(ctx, f.Location.ID, booking.PassTypeInput{
		Name: "10 Yoga classes", Kind: booking.PassVisits, Visits: 10, ValidityDays: 90, ValidFrom: booking.ValidFromSale,
		PriceMinor: 3000000, Currency: "HUF", ServiceIDs: []int64{f.Yoga.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.SellPass(ctx, booking.SellPassInput{LocationID: f.Location.ID, ClientID: res.Client.ID, PassTypeID: pt.ID, Free: true}); err != nil {
		t.Fatal(err)
	}
	// A full event with a waitlist, so its join form, the client's
	// waitlist page and the event window's waitlist actions are walked too.
	f.WithWaitlist(t, booking.WaitlistInOrder, 120)
	full := f.Event(t, f.Yoga, f.Sofie, yoga[2].StartsAt.AddDate(0, 0, 1), 2)
	f.Fill(t, full)
	waiting := f.Join(t, 91, 1, full)
	f.Join(t, 92, 2, full)
	c := &corpus{t: t, e: e, hit: map[string]bool{}, ignored: map[string]bool{"rate_events": true, "login_failures": true}}
	for _, r := range e.router.Routes() {
		c.routes = append(c.routes, corpusRoute{r.Method, r.Path})
	}
	c.owner = e.signIn(ownerEmail)
	ids := map[string]string{
		"ev": itoa64(yoga[0].ID), "token": res.Group.Token, "bid": itoa64(res.Bookings[0].ID),
		"cid": itoa64(res.Client.ID), "lid": itoa64(f.Link.ID), "sid": itoa64(f.Yoga.ID), "mid": itoa64(f.Sofie.ID),
		"ptid": itoa64(pt.ID), "full": itoa64(full.ID), "wl": waiting.Token,
	}
	return c, ids
}

// pattern is the route a request path matches, as "METHOD /pattern".
func (c *corpus) pattern(method, path string) string {
	segs := strings.Split(path, "/")
	for _, r := range c.routes {
		if r.method != method {
			continue
		}
		rs := strings.Split(r.path, "/")
		ps := segs
		if strings.HasPrefix(rs[len(rs)-1], "*") && len(ps) >= len(rs) {
			ps = ps[:len(rs)] // a wildcard takes the rest
		}
		if len(rs) != len(ps) {
			continue
		}
		match := true
		for i := range rs {
			if !strings.HasPrefix(rs[i], ":") && !strings.HasPrefix(rs[i], "*") && rs[i] != ps[i] {
				match = false
				break
			}
		}
		if match {
			return method + " " + r.path
		}
	}
	return method + " " + path + " (no route)"
}

// snapshot is every row of every table, in a stable order, and the stored
// texts that are not valid text.
func (c *corpus) snapshot() (sum string, bad []string) {
	c.t.Helper()
	ctx := context.Background()
	db := c.e.db
	var tables []string
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if db.Dialect().Name() == dialect.PG {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	if err := db.NewRaw(q).Scan(ctx, &tables); err != nil {
		c.t.Fatal(err)
	}
	sort.Strings(tables)
	h := sha256.New()
	for _, tbl := range tables {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+tbl)
		if err != nil {
			c.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				c.t.Fatal(err)
			}
			for i, v := range vals {
				var s string
				switch x := v.(type) {
				case string:
					s = x
				case []byte:
					s = string(x)
				default:
					continue
				}
				if !booking.ValidMultiLineText(s) {
					bad = append(bad, fmt.Sprintf("%s.%s = %q", tbl, cols[i], s))
				}
			}
			lines = append(lines, fmt.Sprint(vals...))
		}
		rows.Close()
		if c.ignored[tbl] {
			continue
		}
		sort.Strings(lines)
		fmt.Fprintln(h, tbl, strings.Join(lines, "\n"))
	}
	return fmt.Sprintf("%x", h.Sum(nil)), bad
}

// send makes one request with the owner's session (admin) or none, and
// checks the invariants around it.
func (c *corpus) send(what, method, target string, form url.Values) *page {
	c.t.Helper()
	c.cases++
	// A GET writes nothing a refusal could undo; the stored texts are
	// checked after each phase instead, which keeps the corpus fast.
	write := method != http.MethodGet
	var before string
	if write {
		before, _ = c.snapshot()
	}
	req := httptest.NewRequest(method, target, nil)
	if method == http.MethodPost {
		req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	var p *page
	if strings.HasPrefix(req.URL.Path, "/admin") {
		p = c.owner.do(req)
	} else {
		// A client address of its own, so the per-address limits of the
		// confirmation codes never stop the corpus early.
		req.RemoteAddr = fmt.Sprintf("198.51.100.%d:1234", c.cases%250+1)
		p = c.e.do(req)
	}
	c.hit[c.pattern(method, req.URL.Path)] = true
	if p.code >= 500 {
		c.t.Errorf("%s: %d", what, p.code)
	}
	if write {
		after, bad := c.snapshot()
		if p.code >= 400 && before != after {
			c.t.Errorf("%s: refused with %d but the database changed", what, p.code)
		}
		if len(bad) > 0 {
			c.t.Fatalf("%s: stored %v", what, bad)
		}
	}
	return p
}

// nothingBadStored fails if any stored text holds bytes that are not text.
func (c *corpus) nothingBadStored(phase string) {
	c.t.Helper()
	if _, bad := c.snapshot(); len(bad) > 0 {
		c.t.Fatalf("after %s: stored %v", phase, bad)
	}
}

// scrapedForm is one form of a page as a browser would send it, empty
// fields filled with something valid.
type scrapedForm struct {
	method, action string
	vals           url.Values
	names          []string // every named field, ticked or not
}

func (c *corpus) forms(p *page, self string) []scrapedForm {
	var out []scrapedForm
	if p.doc == nil {
		return nil
	}
	p.doc.Find("form").Each(func(_ int, f *goqSel) {
		sf := scrapedForm{method: strings.ToUpper(f.AttrOr("method", "GET")), action: f.AttrOr("action", self), vals: url.Values{}}
		if sf.action == "" {
			sf.action = self
		}
		f.Find("input[name], textarea[name], select[name], button[name]").Each(func(_ int, s *goqSel) {
			name, _ := s.Attr("name")
			if !slices.Contains(sf.names, name) {
				sf.names = append(sf.names, name)
			}
			switch {
			case s.Is("button"), s.Is("[type=submit]"), s.Is("[type=file]"):
			case s.Is("textarea"):
				sf.vals.Add(name, s.Text())
			case s.Is("select"):
				opt := s.Find("option[selected]").First()
				if opt.Length() == 0 {
					opt = s.Find("option").First()
				}
				sf.vals.Add(name, opt.AttrOr("value", opt.Text()))
			case s.Is("[type=checkbox], [type=radio]"):
				if _, on := s.Attr("checked"); on {
					sf.vals.Add(name, s.AttrOr("value", "on"))
				}
			default:
				sf.vals.Add(name, s.AttrOr("value", ""))
			}
		})
		c.fill(sf.vals)
		out = append(out, sf)
	})
	return out
}

// fill puts something valid in the empty fields people type, so a
// submission gets as far as storing, where a bad value would hurt.
func (c *corpus) fill(v url.Values) {
	c.serial++
	n := c.serial
	defaults := map[string]string{
		"first_name": "Anna", "last_name": "Kovács", "phone": booktest.Client(100 + n).Phone,
		"email": fmt.Sprintf("user%d@example.com", n), "name": fmt.Sprintf("Name %d", n), "title": "Teacher",
		"slug": fmt.Sprintf("corpus-%d", n), "category": "Classes", "password": "a long enough password",
		"code": "123456", "visitor_name": "", "duration_min": "60", "default_capacity": "10", "capacity": "10",
		"price": "10", "currency": "HUF", "date": "2026-03-20", "start_time": "10:00", "from": "2026-03-20",
		"until": "2026-04-20", "seats": "1",
	}
	for k, d := range defaults {
		if v.Get(k) == "" && d != "" {
			v.Set(k, d)
		}
	}
}

// destructive forms go last: they may take away what the others need.
func destructive(action string) bool {
	for _, s := range []string{"/delete", "/cancel", "/archive", "/signout", "/logout", "/void"} {
		if strings.HasSuffix(action, s) {
			return true
		}
	}
	return false
}

// TestBadInputCorpus sends a NUL, invalid UTF-8 and a control character
// into every field of every form, every query parameter of every page and
// every path parameter of every route, admin and widget, on both
// databases: never a 5xx, a refusal writes nothing, and nothing with such
// bytes is stored. Routes it does not reach fail the test, so a new route
// is covered or named in corpusSkip.
func TestBadInputCorpus(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		c, id := newCorpus(t, db)
		x := func(s string) string {
			for k, v := range id {
				s = strings.ReplaceAll(s, "{"+k+"}", v)
			}
			return s
		}
		pages := []string{
			"/w/sunrise", "/w/sunrise/e/{ev}", "/w/sunrise/contact?event={ev}&seats=1", "/w/sms/contact?event={ev}&seats=1",
			"/m/{token}", "/m/{token}/ics", "/m/{token}/ics/{bid}", "/m/{token}/cancel/{bid}", "/m/{token}/move/{bid}",
			"/admin", "/admin/schedule", "/admin/schedule/new", "/admin/schedule/events/{ev}/edit",
			"/admin/schedule/events/{ev}/delete", "/admin/events/{ev}", "/admin/events/{ev}/client-lookup",
			"/admin/events/{ev}/bookings/{bid}/move", "/admin/clients", "/admin/clients/{cid}",
			"/admin/links", "/admin/links/new", "/admin/links/{lid}/edit", "/admin/location",
			"/admin/services", "/admin/services/new", "/admin/services/{sid}/edit",
			"/admin/team", "/admin/team/new", "/admin/team/{mid}/edit", "/admin/users", "/admin/users/new", "/admin/account",
			"/admin/sms", "/admin/passes", "/admin/passes/new", "/admin/passes/{ptid}/edit", "/admin/login",
			"/admin/payments", "/admin/payments/export.csv",
			"/w/sunrise/e/{full}", "/wl/{wl}", "/admin/events/{full}", "/admin/location/waitlist",
			"/w/sunrise/me",
		}

		// Query parameters, on every page.
		for _, pg := range pages {
			for _, name := range corpusQuery {
				// NUL and invalid UTF-8: what a GET could pass on to the
				// database (nothing is stored, so control characters
				// matter only in the forms).
				for _, bad := range corpusBad[:2] {
					u, _ := url.Parse(x(pg))
					q := u.Query()
					q.Set(name, bad)
					u.RawQuery = q.Encode()
					c.send(fmt.Sprintf("GET %s with %s=%q", pg, name, bad), http.MethodGet, u.String(), nil)
				}
			}
		}

		c.nothingBadStored("the query parameters")

		// Forms: every field of every form of every page, one at a time.
		// The verify step is a page only a contact form's answer shows.
		type job struct {
			page, key string
			form      scrapedForm
		}
		var jobs, last []job
		seen := map[string]bool{}
		load := func(pg string) *page {
			if pg == "verify" {
				ct := c.send("contact for verify", http.MethodGet, x("/w/sms/contact?event={ev}&seats=1"), nil)
				for _, f := range c.forms(ct, "") {
					if strings.HasSuffix(f.action, "/book") {
						return c.send("to verify", http.MethodPost, f.action, f.vals)
					}
				}
				t.Fatalf("no contact form:\n%s", ct.body)
			}
			if strings.HasPrefix(pg, "/admin") {
				return c.owner.get(x(pg))
			}
			return c.e.get(x(pg))
		}
		for _, pg := range append(slices.Clone(pages), "verify") {
			if pg == "/admin/login" {
				continue // its one form is the sign-in, left to its own tests
			}
			p := load(pg)
			for _, f := range c.forms(p, x(pg)) {
				u, _ := url.Parse(f.action)
				names := slices.Clone(f.names)
				slices.Sort(names)
				key := c.pattern(f.method, u.Path) + " " + strings.Join(names, ",")
				if seen[key] {
					continue
				}
				seen[key] = true
				j := job{page: pg, key: key, form: f}
				if destructive(u.Path) {
					last = append(last, j)
				} else {
					jobs = append(jobs, j)
				}
			}
		}
		for _, j := range append(jobs, last...) {
			for _, name := range j.form.names {
				for _, bad := range corpusBad {
					// A fresh copy of the form: the page may have changed.
					var form *scrapedForm
					for _, f := range c.forms(load(j.page), x(j.page)) {
						u, _ := url.Parse(f.action)
						names := slices.Clone(f.names)
						slices.Sort(names)
						if c.pattern(f.method, u.Path)+" "+strings.Join(names, ",") == j.key {
							form = &f
							break
						}
					}
					if form == nil {
						t.Logf("%s: form gone from %s", j.key, j.page)
						continue
					}
					form.vals.Set(name, bad)
					what := fmt.Sprintf("%s with %s=%q", j.key, name, bad)
					if form.method == http.MethodGet {
						u, _ := url.Parse(form.action)
						q := u.Query()
						for k, vs := range form.vals {
							q[k] = vs
						}
						u.RawQuery = q.Encode()
						c.send(what, http.MethodGet, u.String(), nil)
					} else {
						c.send(what, http.MethodPost, form.action, form.vals)
					}
					if p := c.owner.get("/admin"); p.code != http.StatusOK {
						c.owner = c.e.signIn(ownerEmail) // a sign-out form ended the session
					}
				}
			}
		}

		c.nothingBadStored("the forms")

		// Path parameters of every route: 404, the database never asked.
		for _, r := range c.routes {
			segs := strings.Split(r.path, "/")
			for i, s := range segs {
				if !strings.HasPrefix(s, ":") && !strings.HasPrefix(s, "*") {
					continue
				}
				for _, bad := range corpusBad {
					parts := slices.Clone(segs)
					for j, s := range parts {
						if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
							parts[j] = "1"
						}
					}
					parts[i] = url.PathEscape(bad)
					p := c.send(fmt.Sprintf("%s %s with %s=%q", r.method, r.path, s, bad), r.method, strings.Join(parts, "/"), url.Values{})
					if p.code != http.StatusNotFound {
						t.Errorf("%s %s with %s=%q: %d, want 404", r.method, r.path, s, bad, p.code)
					}
				}
			}
		}

		var missed []string
		for _, r := range c.routes {
			k := r.method + " " + r.path
			if !c.hit[k] && corpusSkip[k] == "" {
				missed = append(missed, k)
			}
		}
		if len(missed) > 0 {
			t.Errorf("routes the corpus never reached: %v", missed)
		}
		t.Logf("%d requests with bad input, %d distinct forms", c.cases, len(seen))
	})
}
