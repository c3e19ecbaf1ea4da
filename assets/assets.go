// Package assets embeds the widget's static files (CSS, the vendored htmx,
// widget.js, embed.js) and serves them under content-hashed names, so they
// can be cached forever and a deploy still takes effect at once: a changed
// file gets a new name, and the pages that link it ask for the new name.
package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Prefix is the URL path under which ServeHTTP expects to be mounted.
const Prefix = "/assets/"

// EmbedJSName is the file served at the stable URL /embed.js. Host pages
// keep that URL in their HTML for years, so it cannot carry a hash.
const EmbedJSName = "embed.js"

// FaviconName is the file served at /favicon.ico, the URL browsers ask for
// by themselves (for pages without an icon link, and where they do not
// show SVG icons). Pages link favicon.svg under its hashed name.
const FaviconName = "favicon.ico"

const (
	// A hashed name changes whenever its content does, so a year is safe;
	// "immutable" stops browsers from revalidating on reload.
	cacheImmutable = "public, max-age=31536000, immutable"
	// embed.js lives at a fixed URL on other people's sites. Five minutes
	// bounds how long a fix takes to reach every visitor, while still
	// sparing most page views a request.
	cacheEmbedJS = "public, max-age=300"
	// /favicon.ico cannot carry a hash either; a day is short enough for
	// a new icon to show up, and long enough to spare every page view.
	cacheFavicon = "public, max-age=86400"
)

//go:embed static/*
var staticFS embed.FS

// Assets holds every embedded file with its hashed name and precompressed
// body. It is read-only after New, so one value serves all requests
// concurrently.
type Assets struct {
	byName   map[string]*file // "widget.css"
	byHashed map[string]*file // "widget.3f2a9c1d.css"
}

type file struct {
	name        string
	hashedName  string
	contentType string
	raw         []byte
	rawETag     string
	gz          []byte // nil when gzip does not make the file smaller
	gzETag      string
	gzSize      int
}

// New reads the embedded files, hashes and compresses each one. The work is
// done once at start-up (a few tens of kilobytes), so requests only copy
// bytes.
func New() (*Assets, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("assets: open embedded static dir: %w", err)
	}
	a, err := newFromFS(sub)
	if err != nil {
		return nil, err
	}
	if err := checkEmbedJS(a.byName[EmbedJSName]); err != nil {
		return nil, err
	}
	return a, nil
}

func newFromFS(fsys fs.FS) (*Assets, error) {
	a := &Assets{byName: map[string]*file{}, byHashed: map[string]*file{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		f, err := newFile(name, compact(name, raw))
		if err != nil {
			return err
		}
		a.byName[name] = f
		a.byHashed[f.hashedName] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: load: %w", err)
	}
	for _, name := range []string{EmbedJSName, FaviconName} {
		if _, ok := a.byName[name]; !ok {
			return nil, fmt.Errorf("assets: %s is missing from the embedded files", name)
		}
	}
	return a, nil
}

func newFile(name string, raw []byte) (*file, error) {
	sum := sha256.Sum256(raw)
	hash := hex.EncodeToString(sum[:])
	f := &file{
		name:        name,
		hashedName:  hashedName(name, hash[:8]),
		contentType: contentType(name),
		raw:         raw,
		// Strong ETags must differ between the plain and the gzip
		// representation, or a cache could answer a 304 for the wrong one.
		rawETag: `"` + hash[:16] + `"`,
		gzETag:  `"` + hash[:16] + `-gz"`,
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("gzip %s: %w", name, err)
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, fmt.Errorf("gzip %s: %w", name, err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip %s: %w", name, err)
	}
	f.gzSize = buf.Len()
	// Tiny or already compressed files can grow; then the plain body is
	// what every client gets.
	if buf.Len() < len(raw) {
		f.gz = buf.Bytes()
	}
	return f, nil
}

// compact drops comments, indentation and blank lines from our own .js and
// .css files, so the sources can explain themselves at no cost on the wire
// (about a third of their gzip size). It works line by line and keeps every
// newline that code needs, which is safe for files that, like ours, have no
// multi-line strings or template literals; vendored .min. files are left
// exactly as published.
func compact(name string, b []byte) []byte {
	if strings.Contains(path.Base(name), ".min.") {
		return b
	}
	var isComment func(line string) bool
	switch path.Ext(name) {
	case ".js":
		isComment = func(line string) bool { return strings.HasPrefix(line, "//") }
	case ".css":
		b = cssComment.ReplaceAll(b, nil)
		isComment = func(string) bool { return false }
	default:
		return b
	}
	var out bytes.Buffer
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || isComment(line) {
			continue
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// hashedName puts the hash before the last extension ("htmx.min.js" ->
// "htmx.min.3f2a9c1d.js"), so the extension, and the type a browser or a
// CDN infers from it, stays the same.
func hashedName(name, hash string) string {
	dir, base := path.Split(name)
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		return dir + base[:i] + "." + hash + base[i:]
	}
	return dir + base + "." + hash
}

// contentType uses a fixed table for the types we ship, rather than only
// mime.TypeByExtension, whose answer depends on the host's mime.types files
// (some map .js to application/javascript or .css to nothing useful).
func contentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".txt", ".md":
		return "text/plain; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	case ".json", ".map":
		return "application/json"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Path returns the URL of the named file under its hashed name, for use in
// templates: Path("widget.css") == "/assets/widget.3f2a9c1d.css". An unknown
// name does not panic, since a typo in a template should not take a page
// down; it yields "/assets/missing-<name>", which 404s and which tests over
// rendered pages can look for.
func (a *Assets) Path(name string) string {
	f, ok := a.byName[name]
	if !ok {
		return Prefix + "missing-" + name
	}
	return Prefix + f.hashedName
}

// GzipSize returns the gzip-compressed size of the named file in bytes (0
// for an unknown name), for page-weight budgets measured in tests.
func (a *Assets) GzipSize(name string) int {
	f, ok := a.byName[name]
	if !ok {
		return 0
	}
	return f.gzSize
}

// ServeHTTP serves /assets/<hashed name>. It also accepts the path with the
// prefix already stripped, so it can be mounted either way. A name whose
// hash is not the current one is a 404, not the current file: serving new
// bytes under an old immutable URL would pin them in caches under the wrong
// name.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/assets")
	name = strings.TrimPrefix(name, "/")
	f, ok := a.byHashed[name]
	if !ok {
		notFound(w, r)
		return
	}
	serve(w, r, f, cacheImmutable)
}

// EmbedJS serves embed.js at its stable URL /embed.js. No CORS header: a
// plain <script src> needs none.
func (a *Assets) EmbedJS(w http.ResponseWriter, r *http.Request) {
	serve(w, r, a.byName[EmbedJSName], cacheEmbedJS)
}

// Favicon serves favicon.ico at its stable URL /favicon.ico.
func (a *Assets) Favicon(w http.ResponseWriter, r *http.Request) {
	serve(w, r, a.byName[FaviconName], cacheFavicon)
}

func notFound(w http.ResponseWriter, r *http.Request) {
	// During a rolling deploy an old page may ask a new process for an old
	// hash; the 404 must not be cached, so a retry can reach a process that
	// has it.
	w.Header().Set("Cache-Control", "no-store")
	http.NotFound(w, r)
}

func serve(w http.ResponseWriter, r *http.Request, f *file, cacheControl string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", cacheControl)
	h.Set("X-Content-Type-Options", "nosniff")
	body, etag := f.raw, f.rawETag
	if f.gz != nil {
		// Only files that have a gzip variant vary by encoding.
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Values("Accept-Encoding")) {
			body, etag = f.gz, f.gzETag
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	// ServeContent handles HEAD, If-None-Match (304) and ranges; a zero
	// modtime keeps it from sending Last-Modified, since the ETag is exact.
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip: listed
// (or covered by "*") with a q-value above zero.
func acceptsGzip(headers []string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, header := range headers {
		for _, part := range strings.Split(header, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if parsed, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
						q = parsed
					}
				}
			}
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip", "x-gzip":
				gzipQ = q
			case "*":
				starQ = q
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}
