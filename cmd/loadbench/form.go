package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// form is an HTML form as a browser would submit it: its method, its
// action resolved against the page, and the values its fields hold.
type form struct {
	Method string
	Action string
	Values url.Values
}

// parseForm reads the first form matching sel on doc, found at page. Each
// named input, select and textarea contributes what a browser would send
// without anyone touching it: text and hidden inputs their value, ticked
// checkboxes, the selected option; unticked boxes and buttons nothing.
func parseForm(doc *goquery.Document, page, sel string) (*form, error) {
	f := doc.Find(sel).First()
	if f.Length() == 0 {
		return nil, fmt.Errorf("no %s on %s", sel, page)
	}
	action, ok := f.Attr("action")
	if !ok {
		action = page
	}
	method := strings.ToUpper(f.AttrOr("method", "GET"))
	out := &form{Method: method, Action: resolve(page, action), Values: url.Values{}}
	f.Find("input, select, textarea").Each(func(_ int, in *goquery.Selection) {
		name, ok := in.Attr("name")
		if !ok || name == "" {
			return
		}
		if _, disabled := in.Attr("disabled"); disabled {
			return
		}
		switch goquery.NodeName(in) {
		case "textarea":
			out.Values.Add(name, in.Text())
		case "select":
			opt := in.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = in.Find("option").First()
			}
			if opt.Length() > 0 {
				out.Values.Add(name, opt.AttrOr("value", opt.Text()))
			}
		default:
			switch strings.ToLower(in.AttrOr("type", "text")) {
			case "checkbox", "radio":
				if _, checked := in.Attr("checked"); checked {
					out.Values.Add(name, in.AttrOr("value", "on"))
				}
			case "submit", "button", "image", "reset", "file":
			default:
				out.Values.Add(name, in.AttrOr("value", ""))
			}
		}
	})
	return out, nil
}

// getURL is the URL a GET form goes to with its values.
func (f *form) getURL() (string, error) {
	if f.Method != "GET" {
		return "", errors.New("not a GET form")
	}
	u, err := url.Parse(f.Action)
	if err != nil {
		return "", fmt.Errorf("form action %q: %w", f.Action, err)
	}
	u.RawQuery = f.Values.Encode()
	return u.String(), nil
}
