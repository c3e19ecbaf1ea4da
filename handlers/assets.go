package handlers

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/assets"
	"groupbook/views"
)

// addAssetRoutes serves the content-hashed static files, the stable
// /embed.js that studios paste into their sites, and /favicon.ico, which
// browsers ask for on their own.
func addAssetRoutes(r *gin.Engine, d Deps) {
	r.GET("/assets/*file", gin.WrapH(d.Assets))
	r.GET("/embed.js", gin.WrapF(d.Assets.EmbedJS))
	r.GET("/favicon.ico", gin.WrapF(d.Assets.Favicon))
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
