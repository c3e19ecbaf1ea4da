package fakestripe

import (
	"errors"
	"html/template"
	"net/http"
	"strings"
)

// page is the hosted Checkout page: the lines, the total, and a Pay
// button. It works without JavaScript, top-level, as Stripe's does.
var page = template.Must(template.New("checkout").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fake Stripe Checkout</title></head>
<body>
<h1>Fake Stripe Checkout</h1>
{{if eq .Status "open"}}
<table id="lines">{{range .Lines}}<tr><td class="name">{{.Name}}</td><td class="qty">{{.Quantity}}</td><td class="unit">{{.UnitAmount}}</td></tr>{{end}}</table>
<p id="total">{{.AmountTotal}} {{.Currency}}</p>
<form method="post" action="/pay/{{.ID}}"><button type="submit" id="pay">Pay</button></form>
{{if .CancelURL}}<a id="back" href="{{.CancelURL}}">Back</a>{{end}}
{{else}}
<p id="state">This Checkout Session is {{.Status}}.</p>
{{end}}
</body></html>`))

// checkoutPage serves GET and POST /pay/{id}.
func (s *Server) checkoutPage(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/pay/")
	cs, ok := s.Session(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method == http.MethodPost {
		_, err := s.Pay(id)
		switch {
		case err == nil:
		case errors.Is(err, ErrNotOpen) && cs.Status == "complete":
			// Paid already (a double click): back to the shop.
		default:
			w.WriteHeader(http.StatusGone)
			cs, _ = s.Session(id)
			page.Execute(w, cs)
			return
		}
		http.Redirect(w, r, strings.ReplaceAll(cs.SuccessURL, "{CHECKOUT_SESSION_ID}", id), http.StatusSeeOther)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	page.Execute(w, cs)
}
