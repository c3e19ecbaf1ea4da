// Package views holds the html/template files and renders them as full pages
// or as htmx fragments.
package views

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/gin-gonic/gin/render"
)

//go:embed templates
var files embed.FS

// Engine holds one template set per page: every page gets its own clone of
// the layouts and partials, so each page's "content" block is its own
// (one shared set would make them collide).
//
// A page's set is built the first time it is rendered, and only admin
// pages get the admin partials: the parsed trees of every page's copy of
// every partial came to 9 MB, the largest pointer-rich memory the garbage
// collector scanned on each cycle, though a process serving the widget
// renders seven pages.
type Engine struct {
	pages map[string]*page
}

// page is one page's source and, once rendered, its template set.
type page struct {
	name, src string
	base      *template.Template // never executed, so it may be cloned
	once      sync.Once
	t         *template.Template
	err       error
}

// adminPrefix names the pages, layouts and partials of the admin.
const adminPrefix = "admin_"

// New parses every template at start-up, so a broken template stops the
// server at boot instead of failing a request.
func New(funcs template.FuncMap) (*Engine, error) {
	shared := template.New("").Funcs(baseFuncs).Funcs(funcs)
	admin := template.New("").Funcs(baseFuncs).Funcs(funcs)
	for _, dir := range []string{"templates/layouts", "templates/partials"} {
		var err error
		if shared, err = parseDir(shared, dir, func(name string) bool { return !strings.HasPrefix(name, adminPrefix) }); err != nil {
			return nil, err
		}
		if admin, err = parseDir(admin, dir, func(string) bool { return true }); err != nil {
			return nil, err
		}
	}
	pages, err := fs.Glob(files, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("views: list pages: %w", err)
	}
	e := &Engine{pages: map[string]*page{}}
	for _, p := range pages {
		src, err := files.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("views: read %s: %w", p, err)
		}
		name := strings.TrimSuffix(path.Base(p), ".html")
		pg := &page{name: name, src: string(src), base: shared}
		if strings.HasPrefix(name, adminPrefix) {
			pg.base = admin
		}
		// Parsed once here to fail at boot; the set is dropped and built
		// again on first use.
		if _, err := pg.build(); err != nil {
			return nil, err
		}
		e.pages[name] = pg
	}
	return e, nil
}

// build clones the page's base and parses the page into it.
func (p *page) build() (*template.Template, error) {
	t, err := p.base.Clone()
	if err != nil {
		return nil, fmt.Errorf("views: clone for %s: %w", p.name, err)
	}
	if _, err := t.New(p.name).Parse(p.src); err != nil {
		return nil, fmt.Errorf("views: parse %s: %w", p.name, err)
	}
	return t, nil
}

// set returns the page's template set, built on first use.
func (p *page) set() (*template.Template, error) {
	p.once.Do(func() { p.t, p.err = p.build() })
	return p.t, p.err
}

func parseDir(t *template.Template, dir string, keep func(name string) bool) (*template.Template, error) {
	matches, err := fs.Glob(files, dir+"/*.html")
	if err != nil {
		return nil, fmt.Errorf("views: list %s: %w", dir, err)
	}
	for _, m := range matches {
		if !keep(path.Base(m)) {
			continue
		}
		src, err := files.ReadFile(m)
		if err != nil {
			return nil, fmt.Errorf("views: read %s: %w", m, err)
		}
		if _, err := t.New(path.Base(m)).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("views: parse %s: %w", m, err)
		}
	}
	return t, nil
}

// Instance implements gin's render.HTMLRender. name is a page ("widget_list")
// for the full page, or "page#block" to render one block of it, which is how
// htmx requests get just the fragment they swap in.
func (e *Engine) Instance(name string, data any) render.Render {
	page, block, _ := strings.Cut(name, "#")
	return &htmlRender{engine: e, page: page, block: block, data: data}
}

// Render writes a page or block to a buffer; see Instance for names.
func (e *Engine) Render(name string, data any) ([]byte, error) {
	page, block, _ := strings.Cut(name, "#")
	p, ok := e.pages[page]
	if !ok {
		return nil, fmt.Errorf("views: no page %q", page)
	}
	t, err := p.set()
	if err != nil {
		return nil, err
	}
	if block == "" {
		block = page
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		return nil, fmt.Errorf("views: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

type htmlRender struct {
	engine      *Engine
	page, block string
	data        any
}

// Render renders into memory first: a template error then becomes a clean
// 500 rather than half a page.
func (r *htmlRender) Render(w http.ResponseWriter) error {
	name := r.page
	if r.block != "" {
		name += "#" + r.block
	}
	out, err := r.engine.Render(name, r.data)
	if err != nil {
		return err
	}
	r.WriteContentType(w)
	_, err = w.Write(out)
	return err
}

func (r *htmlRender) WriteContentType(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
}
