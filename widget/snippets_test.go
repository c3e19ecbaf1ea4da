package widget

import (
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// parseSnippet reads a snippet the way the host page's browser would.
func parseSnippet(t *testing.T, snippet string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<!doctype html><html><body>" + snippet + "</body></html>"))
	if err != nil {
		t.Fatalf("parse %q: %v", snippet, err)
	}
	return doc
}

// A label with quotes, markup and an ampersand must stay one attribute value.
var tricky = EmbedOptions{
	Title:      `Book "Sunrise" <Yoga> & Co`,
	Label:      `Book now" onclick="alert(1)`,
	CloseLabel: "Закрыть",
	Color:      "#e76f51",
}

func TestLinkAndChannelURLs(t *testing.T) {
	if got := LinkURL("https://book.example.com/", "sunrise"); got != "https://book.example.com/w/sunrise" {
		t.Errorf("LinkURL = %q", got)
	}
	want := map[string][3]string{
		"instagram": {"instagram", "social", "sunrise"},
		"facebook":  {"facebook", "social", "sunrise"},
		"google":    {"google", "maps", "sunrise"},
	}
	if len(Channels) != len(want) {
		t.Fatalf("%d channels", len(Channels))
	}
	for _, ch := range Channels {
		raw := ChannelURL("https://book.example.com", "sunrise", ch)
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", ch.Key, err)
		}
		if u.Scheme != "https" || u.Host != "book.example.com" || u.Path != "/w/sunrise" {
			t.Errorf("%s goes to %s", ch.Key, raw)
		}
		q, w := u.Query(), want[ch.Key]
		if q.Get("utm_source") != w[0] || q.Get("utm_medium") != w[1] || q.Get("utm_campaign") != w[2] || len(q) != 3 {
			t.Errorf("%s query = %v, want %v", ch.Key, q, w)
		}
	}
}

func TestIframeSnippet(t *testing.T) {
	s := IframeSnippet("https://book.example.com", "sunrise", tricky)
	doc := parseSnippet(t, s)
	fr := doc.Find("iframe")
	if fr.Length() != 1 || doc.Find("body > *").Length() != 1 {
		t.Fatalf("want exactly one iframe: %s", s)
	}
	if src := fr.AttrOr("src", ""); src != "https://book.example.com/w/sunrise?embed=1" {
		t.Errorf("src = %q", src)
	}
	if got := fr.AttrOr("title", ""); got != tricky.Title {
		t.Errorf("title = %q, want %q", got, tricky.Title)
	}
	if fr.AttrOr("height", "") == "" || fr.AttrOr("loading", "") != "lazy" {
		t.Errorf("iframe attributes: %s", s)
	}
}

func TestScriptSnippets(t *testing.T) {
	inline := parseSnippet(t, InlineSnippet("https://book.example.com/", "sunrise", tricky)).Find("script")
	if inline.Length() != 1 {
		t.Fatal("inline: no script")
	}
	for name, want := range map[string]string{
		"src": "https://book.example.com/embed.js", "data-groupbook": "sunrise", "data-title": tricky.Title,
	} {
		if got := inline.AttrOr(name, ""); got != want {
			t.Errorf("inline %s = %q, want %q", name, got, want)
		}
	}
	if _, ok := inline.Attr("async"); !ok {
		t.Error("inline: not async")
	}
	if _, ok := inline.Attr("data-mode"); ok {
		t.Error("inline sets data-mode")
	}

	raw := ButtonSnippet("https://book.example.com", "sunrise", tricky)
	button := parseSnippet(t, raw).Find("script")
	if button.Length() != 1 {
		t.Fatalf("button: %s", raw)
	}
	for name, want := range map[string]string{
		"src": "https://book.example.com/embed.js", "data-groupbook": "sunrise", "data-mode": "button",
		"data-label": tricky.Label, "data-color": "#e76f51", "data-title": tricky.Title, "data-close-label": "Закрыть",
	} {
		if got := button.AttrOr(name, ""); got != want {
			t.Errorf("button %s = %q, want %q", name, got, want)
		}
	}
	if _, ok := button.Attr("onclick"); ok {
		t.Errorf("the label escaped its attribute: %s", raw)
	}

	// Empty options are left out, so embed.js falls back to its defaults.
	plain := ButtonSnippet("https://book.example.com", "sunrise", EmbedOptions{})
	if strings.Contains(plain, "data-label") || strings.Contains(plain, "data-color") {
		t.Errorf("empty options written: %s", plain)
	}
}

func TestChannelURLReadsInOrder(t *testing.T) {
	got := ChannelURL("https://book.example.com", "sunrise", Channels[0])
	if want := "https://book.example.com/w/sunrise?utm_source=instagram&utm_medium=social&utm_campaign=sunrise"; got != want {
		t.Errorf("ChannelURL = %q, want %q", got, want)
	}
}
