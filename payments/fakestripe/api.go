package fakestripe

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// apiError writes Stripe's error body.
func apiError(w http.ResponseWriter, status int, typ, code, msg string) []byte {
	e := map[string]any{"type": typ, "message": msg}
	if code != "" {
		e["code"] = code
	}
	return writeJSON(w, status, map[string]any{"error": e})
}

var (
	expirePath  = regexp.MustCompile(`^/v1/checkout/sessions/([A-Za-z0-9_]+)/expire$`)
	sessionPath = regexp.MustCompile(`^/v1/checkout/sessions/([A-Za-z0-9_]+)$`)
)

// api serves /v1/...: key check, recorded request, faults, idempotent
// replays, then the endpoint.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		apiError(w, 400, "invalid_request_error", "", "bad form: "+err.Error())
		return
	}
	form := r.PostForm
	if r.Method == http.MethodGet {
		form = r.URL.Query()
	}
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, IdempotencyKey: key, Form: form, Auth: r.Header.Get("Authorization")})
	var fault Fault
	if q := s.faults[r.URL.Path]; len(q) > 0 {
		fault, s.faults[r.URL.Path] = q[0], q[1:]
	}
	s.changed()
	s.mu.Unlock()

	if r.Header.Get("Authorization") != "Bearer "+s.opt.SecretKey {
		apiError(w, 401, "invalid_request_error", "", "Invalid API Key provided")
		return
	}
	switch fault {
	case Fault429:
		apiError(w, 429, "invalid_request_error", "rate_limit", "Too many requests hit the API too quickly.")
		return
	case Fault500:
		apiError(w, 500, "api_error", "", "Something went wrong on Stripe's end.")
		return
	case Fault502HTML:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
		return
	case FaultInvalid:
		apiError(w, 400, "invalid_request_error", "parameter_invalid", "The request was refused (fault injected).")
		return
	case FaultHang:
		s.sleep(r)
		apiError(w, 503, "api_error", "", "Stripe is slow")
		return
	}

	// The answer is computed (and recorded for its key) whatever the
	// fault; FaultSlow and FaultDrop only lose it on the way back.
	status, body := s.answer(r, key, form)
	switch fault {
	case FaultSlow:
		s.sleep(r)
	case FaultDrop:
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Request-Id", "req_fake")
	if key != "" {
		w.Header().Set("Idempotency-Key", key)
	}
	w.WriteHeader(status)
	w.Write(body)
}

func (s *Server) sleep(r *http.Request) {
	select {
	case <-time.After(s.opt.SlowDelay):
	case <-r.Context().Done():
	case <-s.ctx.Done():
	}
}

// answer runs the endpoint once per idempotency key: Stripe answers a
// repeated POST with the same key by replaying its first answer.
func (s *Server) answer(r *http.Request, key string, form url.Values) (int, []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.changed()
	if r.Method == http.MethodPost && key != "" {
		if rep, ok := s.replies[key]; ok {
			if rep.path != r.URL.Path {
				return errBody(400, "idempotency_error", "", "Keys for idempotent requests can only be used for the same endpoint they were first used for.")
			}
			return rep.status, rep.body
		}
	}
	status, body := s.route(r, form)
	if r.Method == http.MethodPost && key != "" && status < 500 {
		s.replies[key] = replay{path: r.URL.Path, status: status, body: body}
	}
	return status, body
}

func errBody(status int, typ, code, msg string) (int, []byte) {
	e := map[string]any{"type": typ, "message": msg}
	if code != "" {
		e["code"] = code
	}
	return status, mustJSON(map[string]any{"error": e})
}

// route runs one endpoint; s.mu is held.
func (s *Server) route(r *http.Request, form url.Values) (int, []byte) {
	p := r.URL.Path
	switch {
	case p == "/v1/checkout/sessions" && r.Method == http.MethodPost:
		return s.createSession(form)
	case p == "/v1/refunds" && r.Method == http.MethodPost:
		return s.createRefund(form)
	case expirePath.MatchString(p) && r.Method == http.MethodPost:
		return s.expireSession(expirePath.FindStringSubmatch(p)[1])
	case sessionPath.MatchString(p) && r.Method == http.MethodGet:
		cs, ok := s.sessions[sessionPath.FindStringSubmatch(p)[1]]
		if !ok {
			return errBody(404, "invalid_request_error", "resource_missing", "No such checkout.session")
		}
		return 200, mustJSON(s.sessionJSON(cs))
	}
	return errBody(404, "invalid_request_error", "", "Unrecognized request URL ("+r.Method+": "+p+")")
}

// createSession checks what Stripe checks of a payment-mode session.
func (s *Server) createSession(f url.Values) (int, []byte) {
	bad := func(param, msg string) (int, []byte) {
		return errBody(400, "invalid_request_error", "parameter_invalid", param+": "+msg)
	}
	if f.Get("mode") != "payment" {
		return bad("mode", "mode must be payment")
	}
	if f.Get("success_url") == "" {
		return bad("success_url", "Missing required param: success_url.")
	}
	cs := &Session{
		Status: "open", PaymentStatus: "unpaid", Mode: "payment",
		SuccessURL: f.Get("success_url"), CancelURL: f.Get("cancel_url"),
		ClientReferenceID: f.Get("client_reference_id"), Locale: f.Get("locale"),
		CustomerEmail: f.Get("customer_email"),
		Metadata:      prefixed(f, "metadata"), PaymentMetadata: prefixed(f, "payment_intent_data[metadata]"),
	}
	for i := 0; ; i++ {
		pre := "line_items[" + strconv.Itoa(i) + "]"
		if f.Get(pre+"[quantity]") == "" && f.Get(pre+"[price_data][currency]") == "" {
			break
		}
		q, err1 := strconv.ParseInt(f.Get(pre+"[quantity]"), 10, 64)
		amt, err2 := strconv.ParseInt(f.Get(pre+"[price_data][unit_amount]"), 10, 64)
		l := Line{
			Name: f.Get(pre + "[price_data][product_data][name]"), Quantity: q, UnitAmount: amt,
			Currency: f.Get(pre + "[price_data][currency]"),
		}
		switch {
		case err1 != nil || q < 1:
			return bad("quantity", "line_items quantity must be at least 1")
		case err2 != nil || amt < 0:
			return bad("unit_amount", "line_items unit_amount must be a non-negative integer")
		case l.Name == "":
			return bad("name", "Missing required param: line_items[][price_data][product_data][name].")
		case l.Currency == "" || l.Currency != strings.ToLower(l.Currency) || len(l.Currency) != 3:
			return bad("currency", "Invalid currency: "+l.Currency)
		case cs.Currency != "" && cs.Currency != l.Currency:
			return bad("currency", "All line items must use the same currency.")
		}
		cs.Currency = l.Currency
		cs.Lines = append(cs.Lines, l)
		cs.AmountTotal += q * amt
	}
	if len(cs.Lines) == 0 {
		return bad("line_items", "line_items are required in payment mode")
	}
	now := s.opt.Now()
	cs.ExpiresAt = now.Add(24 * time.Hour).Unix()
	if v := f.Get("expires_at"); v != "" {
		at, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return bad("expires_at", "expires_at must be a timestamp")
		}
		// Stripe: at least 30 minutes and at most 24 hours ahead.
		if d := time.Unix(at, 0).Sub(now); d < 30*time.Minute || d > 24*time.Hour {
			return bad("expires_at", "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.")
		}
		cs.ExpiresAt = at
	}
	cs.ID = s.nextID("cs")
	cs.URL = s.srv.URL + "/pay/" + cs.ID
	s.sessions[cs.ID] = cs
	s.order = append(s.order, cs.ID)
	return 200, mustJSON(s.sessionJSON(cs))
}

// prefixed collects name[key]=value fields.
func prefixed(f url.Values, name string) map[string]string {
	m := map[string]string{}
	for k, v := range f {
		if rest, ok := strings.CutPrefix(k, name+"["); ok && strings.HasSuffix(rest, "]") && !strings.Contains(rest, "[") {
			m[strings.TrimSuffix(rest, "]")] = v[0]
		}
	}
	return m
}

func (s *Server) expireSession(id string) (int, []byte) {
	cs, ok := s.sessions[id]
	if !ok {
		return errBody(404, "invalid_request_error", "resource_missing", "No such checkout.session: '"+id+"'")
	}
	if cs.Status != "open" {
		return errBody(400, "invalid_request_error", "", `Only Checkout Sessions with a status in ["open"] can be expired.`)
	}
	cs.Status = "expired"
	s.event("checkout.session.expired", cs)
	return 200, mustJSON(s.sessionJSON(cs))
}

func (s *Server) createRefund(f url.Values) (int, []byte) {
	pi := f.Get("payment_intent")
	var cs *Session
	for _, c := range s.sessions {
		if c.PaymentIntent != "" && c.PaymentIntent == pi {
			cs = c
		}
	}
	if cs == nil {
		return errBody(400, "invalid_request_error", "resource_missing", "No such payment_intent: '"+pi+"'")
	}
	left := cs.AmountTotal - cs.Refunded
	amount := left
	if v := f.Get("amount"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return errBody(400, "invalid_request_error", "parameter_invalid_integer", "Invalid positive integer")
		}
		amount = n
	}
	if left <= 0 {
		return errBody(400, "invalid_request_error", "charge_already_refunded", "Charge has already been refunded.")
	}
	if amount > left {
		return errBody(400, "invalid_request_error", "amount_too_large", fmt.Sprintf("Refund amount (%d) is greater than unrefunded amount on charge (%d)", amount, left))
	}
	cs.Refunded += amount
	rf := Refund{ID: s.nextID("re"), PaymentIntent: pi, Amount: amount, Currency: cs.Currency, Metadata: prefixed(f, "metadata")}
	s.refunds = append(s.refunds, rf)
	return 200, mustJSON(map[string]any{
		"id": rf.ID, "object": "refund", "amount": amount, "currency": cs.Currency,
		"payment_intent": pi, "status": "succeeded", "metadata": rf.Metadata,
	})
}

// sessionJSON is the session as Stripe's API shows it.
func (s *Server) sessionJSON(cs *Session) map[string]any {
	var pi any
	if cs.PaymentIntent != "" {
		pi = cs.PaymentIntent
	}
	return map[string]any{
		"id": cs.ID, "object": "checkout.session", "url": cs.URL, "status": cs.Status,
		"payment_status": cs.PaymentStatus, "mode": cs.Mode, "currency": cs.Currency,
		"amount_total": cs.AmountTotal, "amount_subtotal": cs.AmountTotal,
		"metadata": cs.Metadata, "client_reference_id": nilIfEmpty(cs.ClientReferenceID),
		"success_url": cs.SuccessURL, "cancel_url": nilIfEmpty(cs.CancelURL),
		"expires_at": cs.ExpiresAt, "payment_intent": pi, "livemode": false,
		"customer_email": nilIfEmpty(cs.CustomerEmail), "locale": nilIfEmpty(cs.Locale),
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
