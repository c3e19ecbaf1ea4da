package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"groupbook/assets"
	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/locales"
	"groupbook/notify"
	"groupbook/widget"
)

const (
	testBaseURL = "http://booking.test"
	testSecret  = "test secret, at least thirty-two characters"
)

// widgetEnv is a full router over a seeded database: the studio of
// booktest.Seed, its "sunrise" link, and the real templates and locales.
type widgetEnv struct {
	t      *testing.T
	db     *bun.DB
	f      *booktest.Fixture
	flow   *widget.Flow
	router *gin.Engine
	codes  *notify.DevVerifier // the development verifier, on the fixture's clock
}

func newWidgetEnv(t *testing.T, db *bun.DB) *widgetEnv {
	t.Helper()
	f := booktest.Seed(t, db)
	e := newTestRouter(t, f.Store, func() time.Time { return f.Now })
	e.db, e.f = db, f
	return e
}

// newTestRouter builds the whole router over store with the real
// templates, locales and assets, the development verifier on clock, and
// the server's warnings in the test log. The caller fills in db and f.
// opts change the Deps before the router is built.
func newTestRouter(t *testing.T, store *booking.Store, clock func() time.Time, opts ...func(*Deps)) *widgetEnv {
	t.Helper()
	bundle, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	// A message missing in any language fails the test that rendered it.
	bundle.Report = func(lang, id string, err error) { t.Errorf("locale %s, message %s: %v", lang, id, err) }
	a, err := assets.New()
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewViews(a)
	if err != nil {
		t.Fatal(err)
	}
	flow := widget.NewFlow(store, widget.NewSigner(testSecret))
	codes := &notify.DevVerifier{Secret: testSecret, Now: clock}
	d := Deps{
		Store: store, Secret: testSecret, BaseURL: testBaseURL,
		Log:  slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Flow: flow, Locales: bundle, Assets: a, Views: v, Verifier: codes,
	}
	for _, o := range opts {
		o(&d)
	}
	r := NewRouter(d)
	return &widgetEnv{t: t, flow: flow, router: r, codes: codes}
}

// page is one response with its parsed HTML.
type page struct {
	code int
	hdr  http.Header
	body string
	doc  *goquery.Document
}

func (e *widgetEnv) do(req *http.Request) *page {
	e.t.Helper()
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	if c := w.Header().Get("Set-Cookie"); c != "" {
		e.t.Errorf("%s %s set a cookie (%q): the widget must work without cookies", req.Method, req.URL, c)
	}
	return pageOf(e.t, w)
}

// pageOf reads a recorded response, parsing it when it is HTML.
func pageOf(t *testing.T, w *httptest.ResponseRecorder) *page {
	t.Helper()
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	p := &page{code: res.StatusCode, hdr: res.Header, body: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.body))
		if err != nil {
			t.Fatalf("parse HTML: %v", err)
		}
		p.doc = doc
	}
	return p
}

// get fetches a path; header is name, value pairs.
func (e *widgetEnv) get(path string, header ...string) *page {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.do(req)
}

// post submits a form the way a browser inside the widget would.
func (e *widgetEnv) post(path string, form url.Values, header ...string) *page {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.do(req)
}

// text is the whitespace-normalised text of the selection.
func (p *page) text(sel string) string {
	return strings.Join(strings.Fields(p.doc.Find(sel).Text()), " ")
}

// hidden returns the value of a form's hidden input.
func (p *page) hidden(name string) string {
	v, _ := p.doc.Find(`input[type=hidden][name="` + name + `"]`).Attr("value")
	return v
}

// bookings counts booking rows.
func (e *widgetEnv) bookings() int {
	e.t.Helper()
	n, err := e.db.NewSelect().Model((*booking.Booking)(nil)).Count(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return int(n)
}

func (e *widgetEnv) taken(ev *booking.Event) int {
	e.t.Helper()
	got, err := e.f.Store.Event(context.Background(), ev.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return got.SeatsTaken
}

// contactForm walks the list → event → contact steps for a selection and
// returns the contact page.
func (e *widgetEnv) contactForm(primary *booking.Event, seats string, also ...*booking.Event) *page {
	e.t.Helper()
	return e.contactFormWith(url.Values{}, primary, seats, also...)
}

// contactFormWith is contactForm with extra query parameters (language, UTM).
func (e *widgetEnv) contactFormWith(q url.Values, primary *booking.Event, seats string, also ...*booking.Event) *page {
	e.t.Helper()
	q.Set("event", itoa64(primary.ID))
	q.Set("seats", seats)
	for _, a := range also {
		q.Add("also", itoa64(a.ID))
	}
	return e.get("/w/sunrise/contact?" + q.Encode())
}

// contact is a valid contact step submission for the selection token s.
func contact(s string) url.Values {
	return url.Values{"s": {s}, "first_name": {"Anna"}, "last_name": {"Kovács"}, "phone": {"06 20 123 4567"}, "email": {"anna@example.com"}}
}

func itoa64(id int64) string { return idString(id) }

// testLogWriter sends the server's warnings and errors to the test log.
type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

type goqSel = goquery.Selection

// parse reads HTML that came in some other way (e.g. decompressed).
func (p *page) parse(t *testing.T, html string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
