// Package locales holds every text a person reads, in English, Hungarian,
// Portuguese, Russian and Ukrainian, as go-i18n message files embedded in the
// binary, and the small API the rest of the code uses to pick a language and
// render messages, plurals, dates and times.
//
// Message files live in messages/<lang>.toml, or <area>.<lang>.toml for a
// part of the product kept apart (admin.en.toml), in go-i18n v2 TOML. All
// files of one language form one catalog; an id may appear in only one of
// them. Ids are flat snake_case. A plain string is a simple message; a table keyed by CLDR plural
// categories is a plural message (en/hu/pt: one, other; ru/uk: one, few,
// many, other).
//
// Adding a message: add it to messages/en.toml, then to every other file.
// The tests in this package fail until every language has the id, every
// plural category it needs, and the same {{.Placeholders}} as English.
//
// Adding a language: add messages/<lang>.toml with every id, and its plural
// categories to the table in catalog_test.go; Load picks the file up by name.
// booking.Languages must list it too (a test compares the two).
//
// Times: Clock always renders 24-hour HH:MM, which all five languages use, so
// there is no format_time message. Dates use format_date_long and
// format_date_short, whose templates get {{.Weekday}}, {{.Day}} and {{.Month}}.
package locales

import (
	"cmp"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// fallbackLang is the source language: every id exists there, and it is what
// Match returns when nothing else fits.
const fallbackLang = "en"

//go:embed messages/*.toml
var messageFiles embed.FS

// pluralTags overrides the tag a file is registered under. CLDR's "pt" is
// Brazilian Portuguese, whose rules put 0 in "one" ("0 lugar"); the texts are
// European Portuguese, so they get pt-PT's rules ("0 lugares"). Callers still
// see and pass plain "pt".
var pluralTags = map[string]string{"pt": "pt-PT"}

// Bundle is the parsed set of message files. It is safe for concurrent use
// once Report, if wanted, has been set.
type Bundle struct {
	// Report, when set, is called for every message that could not be
	// rendered as asked: an id missing in the language (the English text is
	// shown) or everywhere (the id is shown), a missing plural form, or a
	// template that needs data it was not given. Set it before the bundle is
	// shared; when nil, problems are logged with log/slog at warn level so a
	// gap in the translations is visible without failing the request.
	Report func(lang, id string, err error)

	langs      []string // fallbackLang first, then the rest sorted
	matcher    language.Matcher
	localizers map[string]*Localizer
	matches    matchMemo
}

// Load parses the embedded message files. It fails on a file that is not
// valid TOML, not a go-i18n message file, named for an unknown language, or
// holding a template that does not parse, so a bad file stops the server at
// start rather than showing up in front of a client.
func Load() (*Bundle, error) {
	sub, err := fs.Sub(messageFiles, "messages")
	if err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	return load(sub)
}

// load reads every *.toml file at the root of fsys; tests give it files of
// their own to exercise the failure paths.
func load(fsys fs.FS) (*Bundle, error) {
	names, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("locales: list message files: %w", err)
	}
	ib := i18n.NewBundle(language.English)
	ib.RegisterUnmarshalFunc("toml", toml.Unmarshal)

	b := &Bundle{localizers: map[string]*Localizer{}}
	tags := map[string]language.Tag{}
	seen := map[string]string{} // lang + id -> the file that defined it
	for _, name := range names {
		lang := fileLang(name)
		tag, err := fileTag(lang)
		if err != nil {
			return nil, fmt.Errorf("locales: %s: %w", name, err)
		}
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("locales: read %s: %w", name, err)
		}
		msgs, err := ib.ParseMessageBytes(tag, buf, toml.Unmarshal)
		if err != nil {
			return nil, fmt.Errorf("locales: parse %s: %w", name, err)
		}
		if err := checkTemplates(msgs); err != nil {
			return nil, fmt.Errorf("locales: %s: %w", name, err)
		}
		for _, m := range msgs {
			if other, ok := seen[lang+"\x00"+m.ID]; ok {
				return nil, fmt.Errorf("locales: %s: message %q is also in %s", name, m.ID, other)
			}
			seen[lang+"\x00"+m.ID] = name
		}
		if _, ok := tags[lang]; !ok {
			b.langs = append(b.langs, lang)
		}
		tags[lang] = tag
	}
	if !slices.Contains(b.langs, fallbackLang) {
		return nil, fmt.Errorf("locales: no %s.toml: %w", fallbackLang, fs.ErrNotExist)
	}
	// The fallback goes first: a language switcher lists the source
	// language first, and the order must not depend on the file system.
	slices.Sort(b.langs)
	b.langs = slices.DeleteFunc(b.langs, func(l string) bool { return l == fallbackLang })
	b.langs = slices.Insert(b.langs, 0, fallbackLang)

	// The matcher sees the plain language codes, not the plural override, so
	// "pt-BR" and "pt-PT" both match "pt" equally well.
	base := make([]language.Tag, len(b.langs))
	for i, lang := range b.langs {
		base[i] = language.Make(lang)
		b.localizers[lang] = &Localizer{
			Lang:   lang,
			bundle: b,
			loc:    i18n.NewLocalizer(ib, tags[lang].String()),
		}
	}
	b.matcher = language.NewMatcher(base)
	return b, nil
}

// fileLang is the language of a message file: "en.toml" or, for an area of
// the product kept in its own files, "admin.en.toml".
func fileLang(name string) string {
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		return base[i+1:]
	}
	return base
}

// fileTag turns a file's base name into the tag its messages are stored under.
func fileTag(lang string) (language.Tag, error) {
	tag, err := language.Parse(lang)
	if err != nil {
		return language.Und, fmt.Errorf("file name is not a language: %w", err)
	}
	if tag.String() != lang {
		// "pt_BR.toml" or "EN.toml" would be served under a code that no
		// link setting or ?lang= value uses.
		return language.Und, fmt.Errorf("file name %q should be %q", lang, tag.String())
	}
	if t, ok := pluralTags[lang]; ok {
		return language.MustParse(t), nil
	}
	return tag, nil
}

// checkTemplates parses every form of every message, since go-i18n only
// parses a template the first time it renders it.
func checkTemplates(msgs []*i18n.Message) error {
	for _, m := range msgs {
		for _, src := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
			if src == "" || !strings.Contains(src, "{{") {
				continue
			}
			if _, err := strictParser.Parse(src, m.LeftDelim, m.RightDelim); err != nil {
				return fmt.Errorf("message %q: %w", m.ID, err)
			}
		}
	}
	return nil
}

// Languages returns the supported language codes, English first, e.g. for
// a language switcher (each name is the message language_name).
func (b *Bundle) Languages() []string { return slices.Clone(b.langs) }

// maxCandidateLen bounds the part of a candidate that is parsed. Real
// Accept-Language headers are a few dozen bytes; the header is client input
// and is parsed on every request.
const maxCandidateLen = 1024

// Match returns the first supported language among the candidates, in the
// order given; call it as
//
//	Match(queryLang, link.DefaultLang, acceptLanguage..., location.DefaultLang)
//
// Each candidate is a language code or a whole Accept-Language value such as
// "ru-RU,ru;q=0.9,en;q=0.8", whose entries are tried by their q weight.
// Empty, malformed and unsupported candidates are skipped ("de-DE" falls
// through to the next one); when none fits the result is "en".
func (b *Bundle) Match(candidates ...string) string {
	key, ok := memoKey(candidates)
	if ok {
		if lang, hit := b.matches.get(key); hit {
			return lang
		}
	}
	lang := b.match(candidates)
	if ok {
		b.matches.put(key, lang)
	}
	return lang
}

func (b *Bundle) match(candidates []string) string {
	for _, c := range candidates {
		for _, tag := range parseCandidate(c) {
			// High, not just any confidence: the matcher answers every tag
			// with some language, and "de" must not become "en" here before
			// the later candidates had their say.
			if _, i, conf := b.matcher.Match(tag); conf >= language.High {
				return b.langs[i]
			}
		}
	}
	return fallbackLang
}

// parseCandidate returns the tags of one candidate, most preferred first.
func parseCandidate(s string) []language.Tag {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if len(s) > maxCandidateLen {
		s = s[:maxCandidateLen]
		if i := strings.LastIndexByte(s, ','); i >= 0 {
			s = s[:i]
		}
	}
	if tags, _, err := language.ParseAcceptLanguage(s); err == nil {
		return tags
	}
	// ParseAcceptLanguage rejects the whole value for one unknown entry
	// ("xx,ru"); keep the entries that do parse, in q order.
	type weighted struct {
		tag language.Tag
		q   float32
	}
	var ws []weighted
	for part := range strings.SplitSeq(s, ",") {
		tags, qs, err := language.ParseAcceptLanguage(part)
		if err != nil {
			continue
		}
		for i := range tags {
			ws = append(ws, weighted{tags[i], qs[i]})
		}
	}
	slices.SortStableFunc(ws, func(x, y weighted) int { return cmp.Compare(y.q, x.q) })
	tags := make([]language.Tag, len(ws))
	for i, w := range ws {
		tags[i] = w.tag
	}
	return tags
}

// MessageIDs returns every message id in en.toml, sorted, so that other
// packages' tests can check the ids they use exist. It returns nil if
// en.toml does not parse, which Load and this package's tests report.
func MessageIDs() []string {
	names, _ := fs.Glob(messageFiles, "messages/*.toml")
	var ids []string
	for _, name := range names {
		if fileLang(name) != fallbackLang {
			continue
		}
		buf, err := messageFiles.ReadFile(name)
		if err != nil {
			return nil
		}
		var raw map[string]any
		if err := toml.Unmarshal(buf, &raw); err != nil {
			return nil
		}
		for id := range raw {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}
