package assets

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// htmxVersion is the vendored release; assets/README.md names the same one.
const htmxVersion = "4.0.1"

func newAssets(t *testing.T) *Assets {
	t.Helper()
	a, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

func get(t *testing.T, h http.HandlerFunc, target string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return b
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip reader: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

func raw(t *testing.T, name string) []byte {
	t.Helper()
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil {
		t.Fatalf("read embedded %s: %v", name, err)
	}
	return b
}

// served is what ServeHTTP sends for a file: the source with comments
// compacted away (see compact).
func served(t *testing.T, name string) []byte {
	t.Helper()
	return compact(name, raw(t, name))
}

var hashedPath = regexp.MustCompile(`^/assets/[A-Za-z.]+\.[0-9a-f]{8}\.(css|js|txt)$`)

func TestPathIsHashedAndServedImmutable(t *testing.T) {
	a := newAssets(t)
	for _, tc := range []struct{ name, contentType string }{
		{"widget.css", "text/css; charset=utf-8"},
		{"widget.js", "text/javascript; charset=utf-8"},
		{"htmx.min.js", "text/javascript; charset=utf-8"},
		{"embed.js", "text/javascript; charset=utf-8"},
		{"htmx.LICENSE.txt", "text/plain; charset=utf-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := a.Path(tc.name)
			if !hashedPath.MatchString(p) {
				t.Fatalf("Path(%q) = %q, want /assets/<name>.<8 hex>.<ext>", tc.name, p)
			}
			base := strings.TrimSuffix(tc.name, filepath.Ext(tc.name))
			if !strings.HasPrefix(p, "/assets/"+base+".") || !strings.HasSuffix(p, filepath.Ext(tc.name)) {
				t.Errorf("Path(%q) = %q does not keep the name and extension", tc.name, p)
			}
			res := get(t, a.ServeHTTP, p, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: status %d", p, res.StatusCode)
			}
			if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control = %q", got)
			}
			if got := res.Header.Get("Content-Type"); got != tc.contentType {
				t.Errorf("Content-Type = %q, want %q", got, tc.contentType)
			}
			if res.Header.Get("ETag") == "" {
				t.Error("no ETag")
			}
			if got := res.Header.Get("Content-Encoding"); got != "" {
				t.Errorf("Content-Encoding = %q without Accept-Encoding", got)
			}
			if !bytes.Equal(body(t, res), served(t, tc.name)) {
				t.Error("body differs from the embedded file")
			}
		})
	}
}

func TestPathIsStableAndChangesWithContent(t *testing.T) {
	a := newAssets(t)
	b := newAssets(t)
	if a.Path("widget.css") != b.Path("widget.css") {
		t.Error("the same content got two names")
	}
	c, err := newFromFS(fstest.MapFS{
		"widget.css":  {Data: []byte("body{color:red}")},
		"embed.js":    {Data: []byte("//")},
		"favicon.ico": {Data: []byte{0, 0, 1, 0}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Path("widget.css") == a.Path("widget.css") {
		t.Error("different content got the same name")
	}
}

func TestUnknownNameGivesMissingPath(t *testing.T) {
	a := newAssets(t)
	if got := a.Path("nope.css"); got != "/assets/missing-nope.css" {
		t.Errorf("Path(unknown) = %q", got)
	}
	if got := a.GzipSize("nope.css"); got != 0 {
		t.Errorf("GzipSize(unknown) = %d", got)
	}
}

func TestNotFound(t *testing.T) {
	a := newAssets(t)
	good := a.Path("widget.css")
	wrongHash := regexp.MustCompile(`\.[0-9a-f]{8}\.`).ReplaceAllString(good, ".00000000.")
	for _, p := range []string{
		wrongHash,
		"/assets/widget.css", // the plain name is not served: it would be cached forever
		"/assets/missing-widget.css",
		"/assets/",
		"/assets/../assets.go",
	} {
		res := get(t, a.ServeHTTP, p, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, res.StatusCode)
		}
		if strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("GET %s: a 404 must not be cached as immutable", p)
		}
	}
}

func TestServeWithPrefixStripped(t *testing.T) {
	a := newAssets(t)
	h := http.StripPrefix("/assets", a)
	req := httptest.NewRequest(http.MethodGet, a.Path("widget.js"), nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("behind StripPrefix: status %d", rec.Code)
	}
}

func TestGzip(t *testing.T) {
	a := newAssets(t)
	for _, name := range []string{"widget.css", "widget.js", "htmx.min.js"} {
		t.Run(name, func(t *testing.T) {
			res := get(t, a.ServeHTTP, a.Path(name), map[string]string{"Accept-Encoding": "br, gzip;q=0.8, deflate"})
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := res.Header.Get("Content-Encoding"); got != "gzip" {
				t.Fatalf("Content-Encoding = %q, want gzip", got)
			}
			if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary = %q", got)
			}
			zipped := body(t, res)
			if len(zipped) != a.GzipSize(name) {
				t.Errorf("served %d gzip bytes, GzipSize says %d", len(zipped), a.GzipSize(name))
			}
			if !bytes.Equal(gunzip(t, zipped), served(t, name)) {
				t.Error("gzip body does not decompress to the file")
			}
			plain := get(t, a.ServeHTTP, a.Path(name), nil)
			if plain.Header.Get("ETag") == res.Header.Get("ETag") {
				t.Error("gzip and plain bodies share an ETag")
			}
		})
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                    false,
		"gzip":                true,
		"GZIP":                true,
		"gzip, deflate, br":   true,
		"br;q=1.0, gzip;q=.5": true,
		"gzip;q=0":            false,
		"gzip; q=0.000":       false,
		"*":                   true,
		"*;q=0":               false,
		"identity":            false,
		"br, *;q=0.1":         true,
		"gzip;q=0, *":         false,
		"x-gzip":              true,
	} {
		if got := acceptsGzip([]string{header}); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestConditionalGet(t *testing.T) {
	a := newAssets(t)
	p := a.Path("widget.css")
	first := get(t, a.ServeHTTP, p, map[string]string{"Accept-Encoding": "gzip"})
	etag := first.Header.Get("ETag")
	again := get(t, a.ServeHTTP, p, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etag})
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", again.StatusCode)
	}
}

func TestMethods(t *testing.T) {
	a := newAssets(t)
	req := httptest.NewRequest(http.MethodHead, a.Path("widget.css"), nil)
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("HEAD: status %d, %d body bytes", rec.Code, rec.Body.Len())
	}
	req = httptest.NewRequest(http.MethodPost, a.Path("widget.css"), nil)
	rec = httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", rec.Code)
	}
}

func TestEmbedJS(t *testing.T) {
	a := newAssets(t)
	res := get(t, a.EmbedJS, "/embed.js", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for k, want := range map[string]string{
		"Cache-Control": "public, max-age=300",
		"Content-Type":  "text/javascript; charset=utf-8",
		"Vary":          "Accept-Encoding",
	} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("a <script src> needs no CORS header")
	}
	if !bytes.Equal(body(t, res), served(t, "embed.js")) {
		t.Error("body differs from embed.js")
	}
	zres := get(t, a.EmbedJS, "/embed.js", map[string]string{"Accept-Encoding": "gzip"})
	if zres.Header.Get("Content-Encoding") != "gzip" {
		t.Fatal("embed.js not gzipped when accepted")
	}
	if !bytes.Equal(gunzip(t, body(t, zres)), served(t, "embed.js")) {
		t.Error("gzip embed.js does not decompress to the file")
	}
}

func TestHTMXIsVendoredV4(t *testing.T) {
	b := raw(t, "htmx.min.js")
	if !bytes.HasPrefix(b, []byte("var htmx=(()=>{")) {
		t.Errorf("htmx.min.js does not start like the htmx 4 build: %q", b[:min(40, len(b))])
	}
	if !bytes.Contains(b, []byte(`version="`+htmxVersion+`"`)) {
		t.Errorf("htmx.min.js is not version %s", htmxVersion)
	}
	// htmx 4 names events with colons; a 2.x file would not have this one,
	// which widget.js listens to.
	if !bytes.Contains(b, []byte(`"htmx:after:settle"`)) {
		t.Error("htmx.min.js has no htmx:after:settle event")
	}
	if !bytes.Contains(raw(t, "htmx.LICENSE.txt"), []byte("Zero-Clause BSD")) {
		t.Error("htmx.LICENSE.txt is not htmx's 0BSD licence")
	}
}

// The first view of the widget should stay under 30 KB on the wire; these
// three files are loaded on every page, leaving the rest for the HTML.
func TestFirstViewBudget(t *testing.T) {
	a := newAssets(t)
	const budget = 20 * 1024
	total := 0
	for _, name := range []string{"htmx.min.js", "widget.css", "widget.js"} {
		n := a.GzipSize(name)
		if n == 0 {
			t.Fatalf("%s missing", name)
		}
		t.Logf("%-12s %6d bytes source, %6d served, %5d gzip", name, len(raw(t, name)), len(served(t, name)), n)
		total += n
	}
	t.Logf("%-12s %35d gzip (budget %d)", "total", total, budget)
	t.Logf("%-12s %6d bytes source, %6d served, %5d gzip", "embed.js", len(raw(t, "embed.js")), len(served(t, "embed.js")), a.GzipSize("embed.js"))
	if total > budget {
		t.Errorf("htmx + widget.css + widget.js = %d gzip bytes, over the %d budget", total, budget)
	}
}

// node --check catches syntax errors in the hand-written scripts, both as
// written and as compacted for serving; it is skipped where node is not
// installed.
func TestScriptsParse(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not on PATH")
	}
	dir := t.TempDir()
	for _, name := range []string{"widget.js", "embed.js"} {
		compacted := filepath.Join(dir, name)
		if err := os.WriteFile(compacted, served(t, name), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, file := range []string{filepath.Join("static", name), compacted} {
			out, err := exec.Command(node, "--check", file).CombinedOutput()
			if err != nil {
				t.Errorf("node --check %s: %v\n%s", file, err, out)
			}
		}
	}
}

func TestCompact(t *testing.T) {
	js := compact("a.js", []byte("// why\n  var a = 1; // kept: code before it\n\n\tif (a) {\n    // why\n    a = '//not a comment';\n  }\n"))
	if want := "var a = 1; // kept: code before it\nif (a) {\na = '//not a comment';\n}\n"; string(js) != want {
		t.Errorf("compact js = %q, want %q", js, want)
	}
	css := compact("a.css", []byte("/* why,\n   over lines */\na{color:red} /* x */\n\n  b{c:d}\n"))
	if want := "a{color:red}\nb{c:d}\n"; string(css) != want {
		t.Errorf("compact css = %q, want %q", css, want)
	}
	min := []byte("// kept\n  x")
	if got := compact("htmx.min.js", min); !bytes.Equal(got, min) {
		t.Errorf("a .min. file was changed: %q", got)
	}
	if got := served(t, "widget.css"); bytes.Contains(got, []byte("/*")) {
		t.Error("served widget.css still has comments")
	}
	if !bytes.Equal(served(t, "htmx.min.js"), raw(t, "htmx.min.js")) {
		t.Error("htmx.min.js is not served byte for byte as vendored")
	}
}

// The contract with the templates: every selector and data attribute the
// scripts rely on, so a rename in one place shows up here.
func TestScriptContracts(t *testing.T) {
	widget := string(raw(t, "widget.js"))
	for _, s := range []string{
		"groupbook:height", "groupbook:scroll", "groupbook:escape",
		"gbFrame", "gbParent", "htmx:after:settle", "htmx:after:swap",
		"[data-gb-focus]", "[data-gb-status]", "gb-status",
		"data-gb-max-extra", "input[type=checkbox][name=also]", "data-left",
		".gb-stepper", "data-gb-step", "input[name=seats]", "data-gb-link-max", "data-gb-primary-left",
	} {
		if !strings.Contains(widget, s) {
			t.Errorf("widget.js lacks %q", s)
		}
	}
	embed := string(raw(t, "embed.js"))
	for _, s := range []string{
		"groupbook:height", "groupbook:scroll", "groupbook:escape",
		"e.origin !== origin", "e.source !== iframe.contentWindow", "m.frame !== id",
		"'/w/'", "'embed'", "'parent'", "'gbframe'", "'lang'", "'utm_'",
		"aria-modal", "clipboard-write",
	} {
		if !strings.Contains(embed, s) {
			t.Errorf("embed.js lacks %q", s)
		}
	}
}
