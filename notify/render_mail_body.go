package notify

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
)

// mailHTML is the e-mail's HTML part: one column, inline styles (mail
// clients drop style sheets), no images, so it reads the same everywhere
// and says nothing the text part does not.
var mailHTML = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{.Subject}}</title></head>
<body style="margin:0;padding:24px;background:#f5f5f4;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1c1917;font-size:16px;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
{{range .Paragraphs}}<p style="margin:0 0 16px">{{.}}</p>
{{end}}{{if .Lines}}<ul style="margin:0 0 16px;padding-left:20px">
{{range .Lines}}<li><strong>{{.When}}</strong> · {{.What}}</li>
{{end}}</ul>
{{end}}{{if .Link}}<p style="margin:24px 0"><a href="{{.Link}}" style="display:inline-block;background:#1c1917;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px">{{.Button}}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#57534e;word-break:break-all">{{.Link}}</p>
{{end}}<p style="margin:24px 0 0;font-size:13px;color:#78716c">{{.Footer}}</p>
</div></body></html>
`))

// render writes the body as text and HTML.
func (b mailBody) render() (*Email, error) {
	var t strings.Builder
	for _, p := range b.Paragraphs {
		t.WriteString(p + "\n\n")
	}
	for _, ln := range b.Lines {
		t.WriteString("- " + ln.When + " · " + ln.What + "\n")
	}
	if len(b.Lines) > 0 {
		t.WriteString("\n")
	}
	if b.Link != "" {
		t.WriteString(b.Button + ": " + b.Link + "\n\n")
	}
	// "-- " opens a signature: mail clients grey out what follows.
	t.WriteString("-- \n" + b.Footer + "\n")
	var h bytes.Buffer
	if err := mailHTML.Execute(&h, b); err != nil {
		return nil, fmt.Errorf("mail html: %w", err)
	}
	return &Email{Subject: b.Subject, Text: t.String(), HTML: h.String()}, nil
}
