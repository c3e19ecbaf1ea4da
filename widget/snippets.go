package widget

import (
	"html"
	"net/url"
	"strings"
)

// EmbedOptions are the texts and colour an embed snippet sets, in the
// language of the site it goes on. Empty ones are left out, so embed.js
// uses its defaults.
type EmbedOptions struct {
	Title      string // the iframe's title, read by screen readers
	Label      string // the floating button's text
	CloseLabel string // the dialog's close button
	Color      string // the floating button's background, #rrggbb
}

// Channel is a place a direct link is shared, with the UTM parameters that
// tell its bookings apart in the admin (utm_* are kept on each booking).
type Channel struct {
	Key    string // "instagram", "facebook", "google"
	Source string
	Medium string
}

// Channels are the direct-link destinations the admin offers.
var Channels = []Channel{
	{Key: "instagram", Source: "instagram", Medium: "social"},
	{Key: "facebook", Source: "facebook", Medium: "social"},
	// Google Business Profile: the booking link shown in Maps and Search.
	{Key: "google", Source: "google", Medium: "maps"},
}

// LinkURL is a link's public page, base being the server's public address.
func LinkURL(base, slug string) string {
	return strings.TrimRight(base, "/") + "/w/" + url.PathEscape(slug)
}

// ChannelURL is the direct link for one channel: the public page with
// utm_source, utm_medium and utm_campaign (the link's slug, so one report
// can tell several links apart).
func ChannelURL(base, slug string, ch Channel) string {
	// Written in the conventional order rather than url.Values' sorted one:
	// people read these links when pasting them.
	return LinkURL(base, slug) + "?utm_source=" + url.QueryEscape(ch.Source) +
		"&utm_medium=" + url.QueryEscape(ch.Medium) + "&utm_campaign=" + url.QueryEscape(slug)
}

// IframeSnippet is a plain <iframe> for sites that allow no scripts. It
// cannot follow the widget's height, so it gets a fixed one that fits the
// list and the contact form on a phone.
func IframeSnippet(base, slug string, o EmbedOptions) string {
	src := LinkURL(base, slug) + "?embed=1"
	return `<iframe src="` + attr(src) + `" title="` + attr(o.Title) +
		`" width="100%" height="720" loading="lazy" style="border:0;max-width:640px"></iframe>`
}

// InlineSnippet loads /embed.js, which inserts the widget where the script
// is and keeps the frame as tall as its content.
func InlineSnippet(base, slug string, o EmbedOptions) string {
	return scriptSnippet(base, slug, [][2]string{{"data-title", o.Title}})
}

// ButtonSnippet loads /embed.js in button mode: a floating button that
// opens the widget in a dialog.
func ButtonSnippet(base, slug string, o EmbedOptions) string {
	return scriptSnippet(base, slug, [][2]string{
		{"data-mode", "button"},
		{"data-label", o.Label},
		{"data-color", o.Color},
		{"data-title", o.Title},
		{"data-close-label", o.CloseLabel},
	})
}

func scriptSnippet(base, slug string, attrs [][2]string) string {
	var b strings.Builder
	b.WriteString(`<script src="` + attr(strings.TrimRight(base, "/")+"/embed.js") + `" data-groupbook="` + attr(slug) + `"`)
	for _, a := range attrs {
		if a[1] != "" {
			b.WriteString(" " + a[0] + `="` + attr(a[1]) + `"`)
		}
	}
	b.WriteString(" async></script>")
	return b.String()
}

// attr escapes a value for a double-quoted HTML attribute: a studio's
// button label may hold quotes or ampersands.
func attr(s string) string { return html.EscapeString(s) }
