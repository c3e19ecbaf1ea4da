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

	"github.com/gin-gonic/gin/render"
)

//go:embed templates
var files embed.FS

// Engine holds one template set per page: every page gets its own clone of
// the layouts and partials, so each page's "content" block is its own
// (one shared set would make them collide).
type Engine struct {
	pages map[string]*template.Template
}

// New parses every template at start-up, so a broken template stops the
// server at boot instead of failing a request.
func New(funcs template.FuncMap) (*Engine, error) {
	base := template.New("").Funcs(baseFuncs).Funcs(funcs)
	for _, dir := range []string{"templates/layouts", "templates/partials"} {
		var err error
		if base, err = parseDir(base, dir); err != nil {
			return nil, err
		}
	}
	pages, err := fs.Glob(files, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("views: list pages: %w", err)
	}
	e := &Engine{pages: map[string]*template.Template{}}
	for _, p := range pages {
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("views: clone for %s: %w", p, err)
		}
		src, err := files.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("views: read %s: %w", p, err)
		}
		name := strings.TrimSuffix(path.Base(p), ".html")
		if _, err := t.New(name).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("views: parse %s: %w", p, err)
		}
		e.pages[name] = t
	}
	return e, nil
}

func parseDir(t *template.Template, dir string) (*template.Template, error) {
	matches, err := fs.Glob(files, dir+"/*.html")
	if err != nil {
		return nil, fmt.Errorf("views: list %s: %w", dir, err)
	}
	for _, m := range matches {
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
	t, ok := e.pages[page]
	if !ok {
		return nil, fmt.Errorf("views: no page %q", page)
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
