package handlers

import (
	"groupbook/booking"
	"groupbook/widget"
)

// linkEmbed is what the edit page offers to put a saved link on the web:
// the snippets, the direct links per channel and the live preview.
type linkEmbed struct {
	Name     string // the link's name (its slug when unnamed)
	Enabled  bool
	Direct   string
	Channels []linkChannel
	Iframe   string
	Inline   string
	Button   string
	Preview  string // same-origin URL of the framed widget
}

type linkChannel struct {
	Key, URL string
}

// linkEmbed builds the snippets from the link as saved, not as just posted:
// after a refused change they must still show what works today. The texts
// inside the snippets (button label, frame title) are in the widget's
// language, not the admin's, since the studio's visitors read them.
func (h *adminHandlers) linkEmbed(v *adminView, l *booking.Link) *linkEmbed {
	lang := l.DefaultLang
	if lang == "" && v.Location != nil {
		lang = v.Location.DefaultLang
	}
	wl := h.locales.Localizer(lang)
	studio := ""
	if v.Location != nil {
		studio = v.Location.Name
	}
	accent := l.AccentColor
	if accent == "" {
		accent = linkDefaultAccent
	}
	o := widget.EmbedOptions{
		Title:      wl.T("admin_links_embed_title", map[string]any{"Name": studio}),
		Label:      wl.T("admin_links_embed_button"),
		CloseLabel: wl.T("admin_links_embed_close"),
		Color:      accent,
	}
	e := &linkEmbed{
		Name:    l.Name,
		Enabled: l.Enabled,
		Direct:  widget.LinkURL(h.baseURL, l.Slug),
		Iframe:  widget.IframeSnippet(h.baseURL, l.Slug, o),
		Inline:  widget.InlineSnippet(h.baseURL, l.Slug, o),
		Button:  widget.ButtonSnippet(h.baseURL, l.Slug, o),
		// Relative, so the preview is same-origin with this page whatever
		// the base URL says: the admin's CSP (default-src 'self') allows
		// it, and the widget's frame-ancestors is * or starts with 'self'
		// (setWidgetCSP).
		Preview: widget.LinkURL("", l.Slug) + "?embed=1",
	}
	if e.Name == "" {
		e.Name = l.Slug
	}
	for _, ch := range widget.Channels {
		e.Channels = append(e.Channels, linkChannel{Key: ch.Key, URL: widget.ChannelURL(h.baseURL, l.Slug, ch)})
	}
	return e
}
