package locales

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

func TestLoadRejectsBadFiles(t *testing.T) {
	good := `a = "A"`
	for name, files := range map[string]fstest.MapFS{
		"bad toml":          {"en.toml": {Data: []byte(`a = `)}},
		"bad template":      {"en.toml": {Data: []byte(`a = "{{.Count"`)}},
		"bad plural table":  {"en.toml": {Data: []byte("[a]\none = \"x\"\nfoo = \"y\"\n")}},
		"unknown language":  {"en.toml": {Data: []byte(good)}, "english.toml": {Data: []byte(good)}},
		"regional name":     {"en.toml": {Data: []byte(good)}, "pt_BR.toml": {Data: []byte(good)}},
		"upper-case name":   {"EN.toml": {Data: []byte(good)}},
		"no fallback file":  {"hu.toml": {Data: []byte(good)}},
		"bad template (hu)": {"en.toml": {Data: []byte(good)}, "hu.toml": {Data: []byte(`a = "{{if}}"`)}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := load(files); err == nil {
				t.Fatal("load succeeded")
			} else if !strings.HasPrefix(err.Error(), "locales: ") {
				t.Fatalf("error %q does not say where it comes from", err)
			}
		})
	}
}

type problem struct {
	lang, id string
	err      error
}

func TestMissingMessages(t *testing.T) {
	b, err := load(fstest.MapFS{
		"en.toml": {Data: []byte("a = \"A\"\nb = \"B {{.X}}\"\n")},
		"hu.toml": {Data: []byte(`a = "Á"`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []problem
	b.Report = func(lang, id string, err error) { got = append(got, problem{lang, id, err}) }
	hu := b.Localizer("hu")

	if s := hu.T("a"); s != "Á" || len(got) != 0 {
		t.Fatalf("T(a) = %q, problems %v", s, got)
	}

	// Missing in Hungarian: the English text, reported as not found.
	if s := hu.T("b", map[string]any{"X": 1}); s != "B 1" {
		t.Errorf("T(b) = %q, want the English fallback", s)
	}
	var nf *i18n.MessageNotFoundErr
	if len(got) != 1 || got[0].lang != "hu" || got[0].id != "b" || !errors.As(got[0].err, &nf) {
		t.Errorf("problems %v, want one MessageNotFoundErr for hu b", got)
	}

	// Missing everywhere: the id.
	got = nil
	if s := hu.T("nope"); s != "nope" || len(got) != 1 || got[0].id != "nope" {
		t.Errorf("T(nope) = %q, problems %v", s, got)
	}

	// Data the template needs but did not get: the id, never "<no value>".
	got = nil
	if s := b.Localizer("en").T("b"); s != "b" || len(got) != 1 {
		t.Errorf("T(b) without data = %q, problems %v", s, got)
	}
}
