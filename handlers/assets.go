package handlers

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/assets"
	"groupbook/locales"
	"groupbook/views"
)

// addAssetRoutes serves the content-hashed static files and the stable
// /embed.js that studios paste into their sites, with embed.js's texts
// filled in from the locale files, and /favicon.ico, which browsers ask
// for on their own.
func addAssetRoutes(r *gin.Engine, d Deps) {
	a := d.Assets
	if d.Locales != nil {
		a = a.WithEmbedLabels(embedLabels(d.Locales))
	}
	r.GET("/assets/*file", gin.WrapH(a))
	r.GET("/embed.js", gin.WrapF(a.EmbedJS))
	r.GET("/favicon.ico", gin.WrapF(a.Favicon))
}

// embedLabels are the texts embed.js shows on the host page (the floating
// button, the dialog's title and its Close button), in every language.
// Keys are what embed.js reads; ids are in locales/messages/embed.*.toml.
func embedLabels(b *locales.Bundle) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range b.Languages() {
		l := b.Localizer(lang)
		out[lang] = map[string]string{
			"button": l.T("embed_button"),
			"close":  l.T("embed_close"),
			"title":  l.T("embed_title"),
		}
	}
	return out
}

// NewViews parses the templates with the helpers they use.
func NewViews(a *assets.Assets) (*views.Engine, error) {
	return views.New(template.FuncMap{
		"asset": a.Path,
		"money": money,
	})
}

// money formats an amount in minor units. All currencies a studio is likely
// to use here have two decimals in ISO 4217; whole amounts drop them.
func money(minor int64, currency string) string {
	whole, frac := minor/100, minor%100
	s := groupThousands(whole)
	if frac != 0 {
		s += fmt.Sprintf(".%02d", frac)
	}
	return s + " " + currency
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	return b.String()
}
