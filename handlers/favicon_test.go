package handlers

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// Issue 8, item 18: every direct-link visit and admin page asked for
// /favicon.ico and got a 404. It is served (a real ICO whose images are
// PNGs), cached, and both layouts link it and a content-hashed SVG icon.
func TestFavicon(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ico := e.get("/favicon.ico")
		if ico.code != http.StatusOK || ico.hdr.Get("Content-Type") != "image/x-icon" {
			t.Fatalf("/favicon.ico: %d %q", ico.code, ico.hdr.Get("Content-Type"))
		}
		if cc := ico.hdr.Get("Cache-Control"); !strings.Contains(cc, "max-age=86400") {
			t.Errorf("/favicon.ico Cache-Control %q", cc)
		}
		checkICO(t, []byte(ico.body))

		for _, p := range []*page{e.get("/w/sunrise"), e.get("/admin/login")} {
			if p.doc.Find(`head link[rel=icon][href="/favicon.ico"]`).Length() != 1 {
				t.Errorf("no icon link to /favicon.ico in:\n%s", p.body)
			}
			href := p.doc.Find(`head link[rel=icon][type="image/svg+xml"]`).AttrOr("href", "")
			if !strings.HasPrefix(href, "/assets/favicon.") {
				t.Fatalf("SVG icon link %q", href)
			}
			svg := e.get(href)
			if svg.code != http.StatusOK || svg.hdr.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(svg.body, "<svg") {
				t.Errorf("%s: %d %q", href, svg.code, svg.hdr.Get("Content-Type"))
			}
			if !strings.Contains(svg.hdr.Get("Cache-Control"), "immutable") {
				t.Errorf("%s is not cached: %q", href, svg.hdr.Get("Cache-Control"))
			}
			if len(svg.body) > 1024 {
				t.Errorf("the SVG icon is %d bytes; keep it tiny, every page links it", len(svg.body))
			}
		}
	})
}

// checkICO reads the ICO directory and decodes every image in it.
func checkICO(t *testing.T, b []byte) {
	t.Helper()
	var hdr struct{ Reserved, Type, Count uint16 }
	r := bytes.NewReader(b)
	if err := binary.Read(r, binary.LittleEndian, &hdr); err != nil || hdr.Reserved != 0 || hdr.Type != 1 || hdr.Count == 0 {
		t.Fatalf("not an ICO file: %+v %v", hdr, err)
	}
	for range hdr.Count {
		var ent struct {
			W, H, Colors, Reserved uint8
			Planes, BPP            uint16
			Size, Offset           uint32
		}
		if err := binary.Read(r, binary.LittleEndian, &ent); err != nil {
			t.Fatal(err)
		}
		if int(ent.Offset+ent.Size) > len(b) {
			t.Fatalf("ICO entry %+v runs past the file", ent)
		}
		img, err := png.Decode(bytes.NewReader(b[ent.Offset : ent.Offset+ent.Size]))
		if err != nil {
			t.Fatalf("ICO entry %dx%d: %v", ent.W, ent.H, err)
		}
		if sz := img.Bounds().Size(); sz.X != int(ent.W) || sz.Y != int(ent.H) {
			t.Errorf("ICO entry says %dx%d, image is %v", ent.W, ent.H, sz)
		}
	}
}
