package handlers

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// hugeBody produces n bytes of a form field without holding them: the
// test streams 100 MB without allocating it, and counts what the server
// made it produce.
type hugeBody struct {
	prefix   string
	left     int64
	produced atomic.Int64
}

func newHugeBody(prefix string, n int64) *hugeBody { return &hugeBody{prefix: prefix, left: n} }

func (b *hugeBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > b.left {
		n = b.left
	}
	for i := range p[:n] {
		p[i] = 'a'
	}
	if done := b.produced.Load(); done < int64(len(b.prefix)) {
		copy(p, b.prefix[done:])
	}
	b.left -= n
	b.produced.Add(n)
	return int(n), nil
}

const hugeSize = 100 << 20

// multipartTempFiles lists what a multipart parser would have stored.
func multipartTempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// TestBodyLimits: a 100 MB body to the booking form, announced with
// Content-Length or streamed chunked, or as a multipart upload, is refused
// (413, 415) with a localised page before it is read: the server makes the
// client produce a small part of it, nothing is stored on disk, nothing in
// the database. Before, a 1 GiB multipart body was written to disk first.
func TestBodyLimits(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		// Whatever a multipart parser would spill goes to os.TempDir.
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		e := newWidgetEnv(t, db)
		ev := e.f.YogaEvents(t, 1, 10)[0]
		s := e.contactForm(ev, "1").hidden("s")
		srv := httptest.NewServer(e.router)
		defer srv.Close()

		for _, tc := range []struct {
			name        string
			contentType string
			length      int64 // -1: chunked
			status      int
			title       string
		}{
			{"Content-Length", "application/x-www-form-urlencoded", hugeSize, http.StatusRequestEntityTooLarge, "error_too_large_title"},
			{"chunked", "application/x-www-form-urlencoded", -1, http.StatusRequestEntityTooLarge, "error_too_large_title"},
			{"multipart", "multipart/form-data; boundary=xyz", hugeSize, http.StatusRequestEntityTooLarge, "error_too_large_title"},
			{"multipart chunked", "multipart/form-data; boundary=xyz", -1, http.StatusUnsupportedMediaType, "error_unsupported_title"},
		} {
			prefix := "s=" + url.QueryEscape(s) + "&first_name=Anna&phone=%2B36201234567&comment="
			if strings.HasPrefix(tc.contentType, "multipart") {
				prefix = "--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big.bin\"\r\n\r\n"
			}
			body := newHugeBody(prefix, hugeSize)
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/w/sunrise/book", body)
			if err != nil {
				t.Fatal(err)
			}
			req.ContentLength = tc.length
			req.Header.Set("Content-Type", tc.contentType)
			req.Header.Set("Accept-Language", "hu")
			start := time.Now()
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("%s: %v (after the client produced %d bytes)", tc.name, err, body.produced.Load())
			}
			doc, _ := goquery.NewDocumentFromReader(res.Body)
			res.Body.Close()
			took := time.Since(start)
			produced := body.produced.Load()
			t.Logf("%s: %d after %v; the client produced %d KB of the 100 MB", tc.name, res.StatusCode, took.Round(time.Millisecond), produced>>10)
			if res.StatusCode != tc.status {
				t.Errorf("%s: %d, want %d", tc.name, res.StatusCode, tc.status)
			}
			if got := doc.Find("h1").Text(); got != testLocalizer(t, "hu").T(tc.title) {
				t.Errorf("%s: heading %q, want the Hungarian page", tc.name, got)
			}
			// Unread is the point: what the client got to send is what the
			// socket buffers took, a fraction of the body.
			if produced > hugeSize/10 {
				t.Errorf("%s: the client produced %d bytes: the server read the body", tc.name, produced)
			}
		}
		if files := multipartTempFiles(t, tmp); len(files) != 0 {
			t.Errorf("stored on disk: %v", files)
		}
		if n := e.bookings(); n != 0 {
			t.Errorf("%d bookings written", n)
		}
	})
}

// TestAdminBodyLimit: the admin's forms may be larger than the widget's,
// but not without bound; the 413 page is the admin's, in the staff
// member's language. A real form well under the limit still works.
func TestAdminBodyLimit(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		owner := e.signIn(ownerEmail)
		big := url.Values{"name": {strings.Repeat("x", MaxAdminBody)}, "time_zone": {"Europe/Budapest"}, "country": {"HU"}, "default_lang": {"en"}}
		p := owner.post("/admin/location", big, "Accept-Language", "uk")
		if p.code != http.StatusRequestEntityTooLarge || p.text("h1") != testLocalizer(t, "uk").T("error_too_large_title") ||
			p.doc.Find("body.ga").Length() != 1 {
			t.Errorf("admin 64 KB form: %d\n%s", p.code, p.body)
		}
		// The widget's limit is smaller: a form the admin takes is too
		// large for the widget.
		mid := url.Values{"comment": {strings.Repeat("x", MaxWidgetBody)}}
		if p := e.post("/w/sunrise/book", mid); p.code != http.StatusRequestEntityTooLarge {
			t.Errorf("widget %d KB form: %d", MaxWidgetBody>>10, p.code)
		}
		ok := url.Values{"name": {"Sunrise Yoga " + strings.Repeat("é", 40)}, "address": {strings.Repeat("Király utca 1 ", 14)},
			"time_zone": {"Europe/Budapest"}, "country": {"HU"}, "default_lang": {"en"}}
		if p := owner.post("/admin/location", ok); p.code >= 400 {
			t.Errorf("a real location form: %d\n%s", p.code, p.body)
		}
		if n, _ := db.NewSelect().Table("locations").Where("name LIKE 'xxx%'").Count(t.Context()); n != 0 {
			t.Errorf("the refused form was stored")
		}
	})
}
