package locales

import (
	"log/slog"
	"maps"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
)

// strictParser makes a template that refers to data it was not given fail
// instead of printing "<no value>", so the gap is reported and the id shown.
// go-i18n caches each message's parsed template with the first parser that
// renders it, so every call must use this one.
var strictParser = &template.TextParser{Option: "missingkey=error"}

// Localizer renders messages in one language. Get one from Bundle.Localizer;
// it is cheap, and safe for concurrent use.
type Localizer struct {
	// Lang is the supported language code the messages are rendered in,
	// e.g. for <html lang> and for storing with a booking.
	Lang string

	bundle *Bundle
	loc    *i18n.Localizer
}

// Localizer returns a Localizer for lang. A code that is not supported
// (or a regional form like "pt-BR") is resolved as Match would, so the
// result is never nil.
func (b *Bundle) Localizer(lang string) *Localizer {
	l := *b.localizers[b.Match(lang)]
	// A copy, so a caller that changes Lang does not change anyone else's.
	return &l
}

// T renders a simple message. data holds the template's fields, e.g.
// {"Max": 3} for {{.Max}}; several maps are merged, later ones winning.
// It never panics: a message missing in this language falls back to English,
// one missing everywhere (or needing data it did not get) renders as its id,
// and either way the problem goes to Bundle.Report.
func (l *Localizer) T(id string, data ...map[string]any) string {
	return l.localize(id, nil, merge(data))
}

// N renders a plural message for count, choosing the CLDR form of the
// language (ru: 1 место, 2 места, 5 мест) and setting {{.Count}} to count.
// Otherwise it behaves as T.
func (l *Localizer) N(id string, count int, data ...map[string]any) string {
	td := merge(data)
	if td == nil {
		td = map[string]any{}
	}
	// go-i18n picks the form from PluralCount but renders the template with
	// TemplateData only, so the count has to be in both.
	td["Count"] = count
	return l.localize(id, count, td)
}

func (l *Localizer) localize(id string, count any, data map[string]any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateParser: strictParser}
	if data != nil {
		// Only a non-nil map: a typed nil inside the interface would make
		// go-i18n think data was given.
		cfg.TemplateData = data
	}
	msg, err := l.loc.Localize(cfg)
	if err != nil {
		l.bundle.report(l.Lang, id, err)
	}
	if msg == "" {
		return id
	}
	return msg
}

func (b *Bundle) report(lang, id string, err error) {
	if b.Report != nil {
		b.Report(lang, id, err)
		return
	}
	slog.Warn("locales: message problem", "lang", lang, "id", id, "err", err)
}

// merge copies the maps into one, so the caller's maps are never changed.
func merge(data []map[string]any) map[string]any {
	if len(data) == 0 {
		return nil
	}
	out := map[string]any{}
	for _, d := range data {
		maps.Copy(out, d)
	}
	return out
}
