package locales

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/BurntSushi/toml"
)

// pluralCategories are the CLDR plural categories each language's plural
// messages must have: exactly these, since without one some counts get
// another form's grammar, and an extra one is never used.
var pluralCategories = map[string][]string{
	"en": {"one", "other"},
	"hu": {"one", "other"},
	"pt": {"one", "other"},
	"ru": {"few", "many", "one", "other"},
	"uk": {"few", "many", "one", "other"},
}

// sameAsEnglish are ids whose text may equal the English one in another
// language; anything else identical to English is taken for untranslated.
var sameAsEnglish = map[string]bool{
	"format_date_long":  true, // ru/uk write "вторник, 10 марта" with the same pattern
	"format_date_short": true,
	"minutes_count":     true, // "min" is Portuguese too
}

// bookingDir is the booking core, whose message ids and limits the texts
// must match. The tests read its source rather than import it, so this
// package does not depend on the core and its database drivers.
const bookingDir = "../booking"

var placeholderRe = regexp.MustCompile(`{{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*}}`)

// catalogs reads every embedded message file as plain TOML: id -> string for
// a simple message, id -> map[category]string for a plural one.
func catalogs(t *testing.T) map[string]map[string]any {
	t.Helper()
	names, err := fs.Glob(messageFiles, "messages/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, name := range names {
		buf, err := messageFiles.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		if err := toml.Unmarshal(buf, &raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// en.toml and admin.en.toml are one English catalog.
		lang := fileLang(name)
		if out[lang] == nil {
			out[lang] = map[string]any{}
		}
		for id, v := range raw {
			out[lang][id] = v
		}
	}
	if out["en"] == nil {
		t.Fatal("no en.toml")
	}
	return out
}

// forms returns a message's texts by plural category; a simple message has
// only "other", as go-i18n stores it.
func forms(t *testing.T, lang, id string, v any) map[string]string {
	t.Helper()
	switch v := v.(type) {
	case string:
		return map[string]string{"other": v}
	case map[string]any:
		out := map[string]string{}
		for k, f := range v {
			s, ok := f.(string)
			if !ok {
				t.Errorf("%s %s.%s: not a string: %#v", lang, id, k, f)
				continue
			}
			out[k] = s
		}
		return out
	default:
		t.Errorf("%s %s: neither a string nor a table of plural forms: %#v", lang, id, v)
		return nil
	}
}

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholderRe.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestEveryLanguageHasPluralRules(t *testing.T) {
	cats := catalogs(t)
	if got, want := slices.Sorted(maps.Keys(cats)), slices.Sorted(maps.Keys(pluralCategories)); !slices.Equal(got, want) {
		t.Fatalf("message files %v, plural categories known for %v: add the language to pluralCategories", got, want)
	}
}

func TestCatalogsComplete(t *testing.T) {
	cats := catalogs(t)
	en := cats["en"]
	for lang, cat := range cats {
		for id := range en {
			if _, ok := cat[id]; !ok {
				t.Errorf("%s: missing %q", lang, id)
			}
		}
		for id, v := range cat {
			enV, ok := en[id]
			if !ok {
				t.Errorf("%s: %q is not in en.toml", lang, id)
				continue
			}
			_, enPlural := enV.(map[string]any)
			_, plural := v.(map[string]any)
			if plural != enPlural {
				t.Errorf("%s %s: plural is %v, in en %v", lang, id, plural, enPlural)
				continue
			}
			fm := forms(t, lang, id, v)
			if plural {
				if got, want := slices.Sorted(maps.Keys(fm)), pluralCategories[lang]; !slices.Equal(got, want) {
					t.Errorf("%s %s: plural categories %v, want %v", lang, id, got, want)
				}
			}
			var want []string
			for _, f := range forms(t, "en", id, enV) {
				want = append(want, placeholders(f)...)
			}
			slices.Sort(want)
			want = slices.Compact(want)
			for form, f := range fm {
				if strings.TrimSpace(f) == "" {
					t.Errorf("%s %s.%s: empty", lang, id, form)
				}
				if got := placeholders(f); !slices.Equal(got, want) {
					t.Errorf("%s %s.%s: placeholders %v, en has %v", lang, id, form, got, want)
				}
			}
		}
	}
}

// TestCatalogsTranslated catches English pasted into another file and
// Russian and Ukrainian mixed up.
func TestCatalogsTranslated(t *testing.T) {
	cats := catalogs(t)
	en := cats["en"]
	for lang, cat := range cats {
		if lang == "en" {
			continue
		}
		for id, v := range cat {
			enV, ok := en[id]
			if !ok {
				continue // TestCatalogsComplete reports it
			}
			fm := forms(t, lang, id, v)
			if !sameAsEnglish[id] && maps.Equal(fm, forms(t, "en", id, enV)) {
				t.Errorf("%s %s: same as English %q", lang, id, fm["other"])
			}
			if lang != "ru" && lang != "uk" {
				continue
			}
			for form, f := range fm {
				text := placeholderRe.ReplaceAllString(f, "")
				// Examples (EUR, https://example.com) are Latin; a text with
				// no Cyrillic at all beside them is untranslated.
				if strings.IndexFunc(text, isLatin) >= 0 && strings.IndexFunc(text, isCyrillic) < 0 {
					t.Errorf("%s %s.%s: no Cyrillic in %q", lang, id, form, f)
				}
				foreign := "іїєґ" // Ukrainian letters Russian lacks
				if lang == "uk" {
					foreign = "ыэъё"
				}
				if strings.ContainsAny(strings.ToLower(f), foreign) {
					t.Errorf("%s %s.%s: letters of the other language in %q", lang, id, form, f)
				}
			}
		}
	}
}

func isLatin(r rune) bool    { return unicode.Is(unicode.Latin, r) }
func isCyrillic(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }

func TestMessageIDsMatchEnglish(t *testing.T) {
	got := MessageIDs()
	want := slices.Sorted(maps.Keys(catalogs(t)["en"]))
	if !slices.Equal(got, want) {
		t.Fatalf("MessageIDs() = %v, want %v", got, want)
	}
}

// TestEveryMessageRenders renders every message in every language with the
// data its English text asks for, and fails on anything reported: a
// template error, a missing plural form, an id go-i18n cannot find.
func TestEveryMessageRenders(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	b.Report = func(lang, id string, err error) { t.Errorf("%s %s: %v", lang, id, err) }
	en := catalogs(t)["en"]
	for _, lang := range b.Languages() {
		l := b.Localizer(lang)
		for id, v := range en {
			data := map[string]any{}
			for _, f := range forms(t, "en", id, v) {
				for _, p := range placeholders(f) {
					data[p] = 7
				}
			}
			if _, plural := v.(map[string]any); plural {
				// Counts that hit every integer category of the five languages.
				for _, n := range []int{0, 1, 2, 5, 11, 21, 22, 101, 112} {
					if got := l.N(id, n, data); got == "" || got == id {
						t.Errorf("%s N(%s, %d) = %q", lang, id, n, got)
					}
				}
				continue
			}
			if got := l.T(id, data); got == "" || got == id {
				t.Errorf("%s T(%s) = %q", lang, id, got)
			}
		}
	}
}

// parseBooking parses the booking core's non-test Go files.
func parseBooking(t *testing.T) []*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(bookingDir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", bookingDir)
	}
	return files
}

// bookingConsts returns the booking core's constants that are plain string
// or integer literals, by name.
func bookingConsts(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range parseBooking(t) {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok {
						continue
					}
					v := lit.Value
					if lit.Kind == token.STRING {
						if v, err := strconv.Unquote(lit.Value); err == nil {
							out[name.Name] = v
						}
						continue
					}
					out[name.Name] = v
				}
			}
		}
	}
	return out
}

// TestBookingMessageIDs checks that every field error id the core can return
// (its Msg* constants) has a text in every language.
func TestBookingMessageIDs(t *testing.T) {
	var ids []string
	for name, v := range bookingConsts(t) {
		if strings.HasPrefix(name, "Msg") {
			ids = append(ids, v)
		}
	}
	if len(ids) < 20 {
		t.Fatalf("found only %d Msg constants in %s: has the core moved them?", len(ids), bookingDir)
	}
	slices.Sort(ids)
	for lang, cat := range catalogs(t) {
		for _, id := range ids {
			if _, ok := cat[id]; !ok {
				t.Errorf("%s: no message for booking id %q", lang, id)
			}
		}
	}
}

// TestBookingNumbers checks texts that state one of the core's limits.
func TestBookingNumbers(t *testing.T) {
	consts := bookingConsts(t)
	for id, name := range map[string]string{
		"error_password_too_short": "MinPasswordLen",
		"error_cutoff_step":        "CutoffStepMin",
	} {
		n, ok := consts[name]
		if !ok {
			t.Errorf("booking.%s not found; %s states it", name, id)
			continue
		}
		for lang, cat := range catalogs(t) {
			if s, _ := cat[id].(string); !strings.Contains(s, n) {
				t.Errorf("%s %s = %q, but booking.%s is %s", lang, id, s, name, n)
			}
		}
	}
}

// TestBookingLanguages checks that the languages a link or location may be
// set to (booking.Languages) are exactly the translated ones.
func TestBookingLanguages(t *testing.T) {
	var langs []string
	for _, f := range parseBooking(t) {
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "Languages" || len(vs.Values) != 1 {
				return true
			}
			if cl, ok := vs.Values[0].(*ast.CompositeLit); ok {
				for _, e := range cl.Elts {
					if lit, ok := e.(*ast.BasicLit); ok {
						s, _ := strconv.Unquote(lit.Value)
						langs = append(langs, s)
					}
				}
			}
			return false
		})
	}
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(langs, b.Languages()) {
		t.Fatalf("booking.Languages = %v, locales have %v", langs, b.Languages())
	}
}
