package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/locales"
	"groupbook/widget"
)

// widgetView is what every widget template gets: the language, the link
// and its catalog, whether the page is framed, and the presentation state
// that travels in every link and form.
type widgetView struct {
	L      *locales.Localizer
	Lang   string
	Langs  []langOption
	Link   *booking.Link
	Cat    *widget.Catalog
	Title  string
	Framed bool
	Frame  string // the embedding script's id for this frame
	Parent string // the embedding page's origin, for postMessage
	Accent string
	Alerts []alert
	Errors map[string]string // field name -> translated message
	Page   any

	carry url.Values
	self  string // this page's path, for the language switcher
	// formActions are origins besides our own a form may lead to (the
	// manage page's Pay button is redirected to Stripe Checkout).
	formActions []string
}

type langOption struct {
	Code, Name, URL string
	Current         bool
}

type alert struct{ Kind, Text string }

type field struct{ Name, Value string }

// carried are the query parameters that follow the client through the flow.
// pv is the signed proof of a confirmed phone (see widget.Proof).
var carried = []string{"lang", "embed", "parent", "gbframe", "utm_source", "utm_medium", "utm_campaign", "pv"}

var (
	frameIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)
	accentRe  = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	tokenRe   = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
)

// newWidgetView reads the carried parameters (query or form), checks each,
// and picks the language: ?lang=, then the link's default, then the
// browser's Accept-Language, then the location's default.
func (h *widgetHandlers) newWidgetView(c *gin.Context, link *booking.Link, cat *widget.Catalog) *widgetView {
	v := &widgetView{Link: link, Cat: cat, carry: url.Values{}, self: c.Request.URL.Path}
	for _, k := range carried {
		val := strings.TrimSpace(c.Request.FormValue(k))
		switch k {
		case "lang":
			if !booking.ValidLanguage(val) {
				val = ""
			}
		case "embed":
			if val != "1" {
				val = ""
			}
		case "parent":
			if !booking.ValidOrigin(val) {
				val = ""
			}
		case "gbframe":
			if !frameIDRe.MatchString(val) {
				val = ""
			}
		case "pv":
			// Checked when used; here only kept from growing URLs.
			if len(val) > 600 || !tokenRe.MatchString(val) {
				val = ""
			}
		default: // utm_*
			if !booking.ValidText(val) {
				val = "" // stored with the booking: no control bytes (see booking.ValidText)
			}
			val = truncateRunes(val, 100)
		}
		if val != "" {
			v.carry.Set(k, val)
		}
	}
	if link != nil && accentRe.MatchString(link.AccentColor) {
		v.Accent = link.AccentColor
	}
	v.Lang = h.visitorLang(c.Request, v.carry.Get("lang"), link, cat)
	v.L = h.locales.Localizer(v.Lang)
	v.Framed = isFramed(c.Request, v.carry.Get("embed"))
	v.Frame, v.Parent = v.carry.Get("gbframe"), v.carry.Get("parent")
	v.Langs = h.langOptions()
	for i := range v.Langs {
		v.Langs[i].Current = v.Langs[i].Code == v.Lang
	}
	switch {
	case c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead:
		v.relink(v.self, c.Request.URL.Query())
	case link != nil:
		// A posted step has no address of its own to reload in another
		// language; the handler that renders it may name one (relink),
		// else the language links lead to the link's start.
		v.relink("/w/"+link.Slug, nil)
	default:
		v.relink(v.self, nil)
	}
	return v
}

// visitorLang picks the page's language: asked (a checked ?lang=), then
// the link's default, then the browser's Accept-Language, then the
// location's default. The page cache keys pages by it (pageKey), so both
// must decide alike.
func (h *widgetHandlers) visitorLang(r *http.Request, asked string, link *booking.Link, cat *widget.Catalog) string {
	linkLang, locLang := "", ""
	if link != nil {
		linkLang = link.DefaultLang
	}
	if cat != nil {
		locLang = cat.Location.DefaultLang
	}
	return h.locales.Match(asked, linkLang, r.Header.Get("Accept-Language"), locLang)
}

// isFramed tells whether the page is shown in a frame: the embed script
// says so (?embed=1), or the browser does.
func isFramed(r *http.Request, embed string) bool {
	return embed == "1" || r.Header.Get("Sec-Fetch-Dest") == "iframe"
}

// relink points the language links at path with query q (the carried
// parameters are added): the page to reload in another language.
func (v *widgetView) relink(path string, q url.Values) {
	for i := range v.Langs {
		qq := v.query(q)
		qq.Set("lang", v.Langs[i].Code)
		v.Langs[i].URL = path + "?" + qq.Encode()
	}
}

// query merges the carried parameters into q (a copy is returned).
func (v *widgetView) query(q url.Values) url.Values {
	out := url.Values{}
	for k, vals := range q {
		out[k] = append([]string(nil), vals...)
	}
	for k, vals := range v.carry {
		out[k] = vals
	}
	return out
}

// URL builds a link inside the flow that keeps the carried parameters;
// kv are extra name/value pairs.
func (v *widgetView) URL(path string, kv ...string) string {
	q := v.query(nil)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Add(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// CarryFields are the carried parameters as hidden form fields.
func (v *widgetView) CarryFields() []field {
	var out []field
	for _, k := range carried {
		if val := v.carry.Get(k); val != "" {
			out = append(out, field{k, val})
		}
	}
	return out
}

// utm is the marketing channel carried so far.
func (v *widgetView) utm() booking.UTM {
	return booking.UTM{Source: v.carry.Get("utm_source"), Medium: v.carry.Get("utm_medium"), Campaign: v.carry.Get("utm_campaign")}
}

func (v *widgetView) alert(kind, text string) { v.Alerts = append(v.Alerts, alert{kind, text}) }

// fieldErrors translates the core's message ids for the form.
func (v *widgetView) fieldErrors(fe booking.FieldErrors) {
	v.Errors = map[string]string{}
	for k, id := range fe {
		v.Errors[k] = v.L.T(id)
	}
}

func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// langOptions returns a fresh copy of the language switcher's entries,
// each language named in itself; the names are looked up once.
func (h *widgetHandlers) langOptions() []langOption {
	h.langsOnce.Do(func() {
		for _, code := range h.locales.Languages() {
			h.langs = append(h.langs, langOption{Code: code, Name: h.locales.Localizer(code).T("language_name")})
		}
	})
	return slices.Clone(h.langs)
}
