package handlers

import (
	"crypto/sha256"
	"encoding/base64"
)

// accentStyle is the text of the widget layout's one inline style; it must
// match views/templates/layouts/widget_layout.html byte for byte, or the
// browser refuses the style (TestWidgetFraming checks they agree).
func accentStyle(accent string) string { return ":root{--gb-accent:" + accent + "}" }

// accentHash is the CSP source that allows the accent style (with its
// leading space), or "" without an accent. accent is already checked
// against accentRe, so the template writes it unescaped.
func accentHash(accent string) string {
	if accent == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(accentStyle(accent)))
	return " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
