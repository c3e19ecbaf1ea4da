package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

const (
	hookBase  = "https://book.example.com"
	hookToken = "0123456789abcdef0123456789abcdef"
	hookSID   = "SM0123456789abcdef0123456789abcdef"
	hookPath  = "/hooks/twilio/status"
)

// twilioSignature signs a webhook as Twilio documents it, written here
// independently of twilio-go's validator: base64(HMAC-SHA1(token, URL +
// every POST field's name and value, sorted by name)).
func twilioSignature(token, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	s := fullURL
	for _, k := range keys {
		s += k + form.Get(k)
	}
	m := hmac.New(sha1.New, []byte(token))
	m.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// statusForm is what Twilio posts for a message's status.
func statusForm(sid, status, errorCode string) url.Values {
	f := url.Values{
		"AccountSid": {"AC0123456789abcdef0123456789abcdef"}, "ApiVersion": {"2010-04-01"},
		"From": {"+15005550006"}, "To": {"+36201000001"},
		"MessageSid": {sid}, "SmsSid": {sid}, "SmsStatus": {status}, "MessageStatus": {status},
	}
	if errorCode != "" {
		f.Set("ErrorCode", errorCode)
	}
	return f
}

// postHook posts the form the way Twilio does: server to server, so no
// Origin and no Sec-Fetch-Site; the headers given are added.
func postHook(r http.Handler, target string, form url.Values, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

// hookMessage books a client with SMS on and marks the "booked" message
// sent as hookSID, returning the row's id.
func hookMessage(t *testing.T, f *booktest.Fixture) int64 {
	t.Helper()
	ctx := context.Background()
	if err := f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	ev := f.YogaEvents(t, 1, 10)[0]
	if _, err := f.Store.Reserve(ctx, booking.ReserveRequest{
		LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{ev.ID}, Seats: 1, Client: booktest.Client(1), Lang: "en",
	}); err != nil {
		t.Fatal(err)
	}
	msgs, err := f.Store.ClaimDue(ctx, "test", 10, time.Minute)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("claimed %d, %v", len(msgs), err)
	}
	if err := f.Store.MarkSent(ctx, &msgs[0], "test", hookSID); err != nil {
		t.Fatal(err)
	}
	return msgs[0].ID
}

func outboxRow(t *testing.T, db *bun.DB, id int64) booking.OutboxMessage {
	t.Helper()
	var m booking.OutboxMessage
	if err := db.NewSelect().Model(&m).Where("id = ?", id).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTwilioStatusHook: a signed report is recorded; an unsigned, forged
// or tampered one is refused with 403 and changes nothing.
func TestTwilioStatusHook(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		id := hookMessage(t, f)
		r, logs := testRouter(t, Deps{Store: f.Store, BaseURL: hookBase, TwilioAuthToken: hookToken})
		unchanged := func(what string) {
			t.Helper()
			if m := outboxRow(t, db, id); m.DeliveryStatus != "" || m.LastError != "" {
				t.Errorf("%s changed the message: %+v", what, m)
			}
		}

		form := statusForm(hookSID, "delivered", "")
		if w := postHook(r, hookPath, form); w.Code != http.StatusForbidden {
			t.Errorf("unsigned: %d, want 403", w.Code)
		}
		unchanged("an unsigned report")
		forged := twilioSignature("ffffffffffffffffffffffffffffffff", hookBase+hookPath, form)
		if w := postHook(r, hookPath, form, "X-Twilio-Signature", forged); w.Code != http.StatusForbidden {
			t.Errorf("forged: %d, want 403", w.Code)
		}
		// Signed for another address (here, the request's own host rather
		// than the public base URL Twilio was given).
		other := twilioSignature(hookToken, "http://example.com"+hookPath, form)
		if w := postHook(r, hookPath, form, "X-Twilio-Signature", other); w.Code != http.StatusForbidden {
			t.Errorf("signed for another URL: %d, want 403", w.Code)
		}
		// A genuine signature over other fields.
		tampered := statusForm(hookSID, "undelivered", "30003")
		if w := postHook(r, hookPath, tampered, "X-Twilio-Signature", twilioSignature(hookToken, hookBase+hookPath, form)); w.Code != http.StatusForbidden {
			t.Errorf("tampered: %d, want 403", w.Code)
		}
		unchanged("a forged report")
		if findLog(t, logs, "twilio status: bad signature") == nil {
			t.Error("refusals not logged")
		}

		// Twilio's real request: no Origin, no Sec-Fetch-Site. The
		// cross-origin protection lets it through.
		sig := twilioSignature(hookToken, hookBase+hookPath, form)
		if w := postHook(r, hookPath, form, "X-Twilio-Signature", sig); w.Code != http.StatusNoContent {
			t.Fatalf("signed: %d %s", w.Code, w.Body)
		}
		if m := outboxRow(t, db, id); m.DeliveryStatus != "delivered" || m.Status != booking.OutboxSent {
			t.Errorf("after delivered: %+v", m)
		}
		undelivered := statusForm(hookSID, "undelivered", "30003")
		if w := postHook(r, hookPath, undelivered, "X-Twilio-Signature", twilioSignature(hookToken, hookBase+hookPath, undelivered)); w.Code != http.StatusNoContent {
			t.Fatalf("undelivered: %d", w.Code)
		}
		if m := outboxRow(t, db, id); m.DeliveryStatus != "undelivered" || m.LastError != "delivery error 30003" {
			t.Errorf("after undelivered: %+v", m)
		}
		if failed, _ := f.Store.FailedMessages(context.Background(), f.Location.ID, 10); len(failed) != 1 || failed[0].ID != id {
			t.Errorf("undelivered message not among the failed: %+v", failed)
		}

		// A query string is part of what Twilio signs.
		withQuery := hookPath + "?loc=1"
		sent := statusForm(hookSID, "sent", "")
		if w := postHook(r, withQuery, sent, "X-Twilio-Signature", twilioSignature(hookToken, hookBase+hookPath, sent)); w.Code != http.StatusForbidden {
			t.Errorf("signature without the query: %d, want 403", w.Code)
		}
		if w := postHook(r, withQuery, sent, "X-Twilio-Signature", twilioSignature(hookToken, hookBase+withQuery, sent)); w.Code != http.StatusNoContent {
			t.Errorf("signature with the query: %d, want 204", w.Code)
		}

		// A message we do not know: acknowledged and ignored, so Twilio
		// does not report errors for a callback it cannot fix.
		unknown := statusForm("SMffffffffffffffffffffffffffffffff", "delivered", "")
		if w := postHook(r, hookPath, unknown, "X-Twilio-Signature", twilioSignature(hookToken, hookBase+hookPath, unknown)); w.Code != http.StatusNoContent {
			t.Errorf("unknown sid: %d, want 204", w.Code)
		}
		// A browser on another site is stopped before the handler, signed
		// or not (the route needs no exemption either way).
		if w := postHook(r, hookPath, form, "X-Twilio-Signature", sig, "Sec-Fetch-Site", "cross-site"); w.Code != http.StatusForbidden {
			t.Errorf("cross-site browser post: %d, want 403", w.Code)
		}
	})
}

// TestTwilioStatusHookNeedsToken: without Twilio's auth token nothing can
// be verified, so the route does not exist.
func TestTwilioStatusHookNeedsToken(t *testing.T) {
	r, _ := testRouter(t, Deps{BaseURL: hookBase})
	form := statusForm(hookSID, "delivered", "")
	if w := postHook(r, hookPath, form, "X-Twilio-Signature", twilioSignature("", hookBase+hookPath, form)); w.Code != http.StatusNotFound {
		t.Errorf("without a token: %d, want 404", w.Code)
	}
}
