package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/widget"
)

// TestContactFormBadInput: every bad field gets a 422, its message at the
// field, and nothing is written; what was typed comes back escaped.
func TestContactFormBadInput(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 2, 10)
		strict := *e.f.Link
		strict.LastNameRequired, strict.EmailMode, strict.CommentMode = true, booking.FieldRequired, booking.FieldRequired
		strict.CommentLabel, strict.ContactMessage = "Any injuries?", "Bring indoor shoes."
		if err := e.f.Store.SaveLink(ctx, &strict); err != nil {
			t.Fatal(err)
		}
		ct := e.contactForm(evs[0], "1")
		if ct.code != 200 {
			t.Fatalf("%d\n%s", ct.code, ct.body)
		}
		if !strings.Contains(ct.text("label[for=gb-comment]"), "Any injuries?") || !strings.Contains(ct.body, "Bring indoor shoes.") {
			t.Error("the link's comment label or message is missing")
		}
		for _, f := range []string{"first_name", "last_name", "phone", "email", "comment"} {
			if ct.doc.Find(`#gb-`+f+`[required]`).Length() != 1 {
				t.Errorf("%s not marked required", f)
			}
		}
		s := ct.hidden("s")
		good := func() url.Values {
			v := contact(s)
			v.Set("comment", "Knee")
			return v
		}
		long := strings.Repeat("x", 201)
		cases := []struct {
			name, field, value, want string
		}{
			{"empty phone", "phone", "", "required"},
			{"letters in phone", "phone", "call me", "valid phone"},
			{"too short phone", "phone", "+36 20 123", "valid phone"},
			{"no first name", "first_name", "  ", "required"},
			{"no last name", "last_name", "", "required"},
			{"bad email", "email", "anna@", "valid email"},
			{"no comment", "comment", "", "required"},
			{"long comment", "comment", long, "too long"},
			{"long name", "first_name", strings.Repeat("é", 101), "too long"},
		}
		for _, tc := range cases {
			form := good()
			form.Set(tc.field, tc.value)
			r := e.post("/w/sunrise/book", form)
			msg := strings.ToLower(r.text("#gb-" + tc.field + "-error"))
			if r.code != http.StatusUnprocessableEntity || !strings.Contains(msg, tc.want) {
				t.Errorf("%s: %d, message %q", tc.name, r.code, msg)
			}
			if inv, _ := r.doc.Find("#gb-" + tc.field).Attr("aria-invalid"); inv != "true" {
				t.Errorf("%s: field not marked invalid", tc.name)
			}
			if r.hidden("s") == "" {
				t.Errorf("%s: the selection was lost", tc.name)
			}
		}
		// Script tags come back escaped, never as markup.
		form := good()
		form.Set("first_name", `<script>alert(1)</script>`)
		form.Set("phone", "nope")
		r := e.post("/w/sunrise/book", form)
		if r.doc.Find("main script").Length() != 0 || strings.Contains(r.body, "<script>alert(1)") {
			t.Error("script tag not escaped")
		}
		if v, _ := r.doc.Find("#gb-first_name").Attr("value"); v != `<script>alert(1)</script>` {
			t.Errorf("typed value not kept: %q", v)
		}
		// Russian: the message is translated.
		ru := good()
		ru.Set("phone", "")
		ru.Set("lang", "ru")
		if r := e.post("/w/sunrise/book", ru); !strings.Contains(r.text("#gb-phone-error"), "Заполните") && !strings.Contains(r.text("#gb-phone-error"), "обязательн") {
			t.Errorf("Russian field error: %q", r.text("#gb-phone-error"))
		}
		if e.bookings() != 0 || e.taken(evs[0]) != 0 {
			t.Fatal("bad input wrote something")
		}
	})
}

// TestSelectionBadInput: tampered selections on Continue get a 4xx with a
// message and nothing is written.
func TestSelectionBadInput(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 3, 10)
		pil := e.f.Event(t, e.f.Pilates, e.f.Marton, evs[0].StartsAt.Add(time.Hour), 8)
		base := "/w/sunrise/contact?event=" + itoa64(evs[0].ID)
		for _, tc := range []struct{ name, query string }{
			{"seats 0", "&seats=0"},
			{"seats -1", "&seats=-1"},
			{"seats 99", "&seats=99"},
			{"seats abc", "&seats=abc"},
			{"other service", "&seats=1&also=" + itoa64(pil.ID)},
			{"unknown event", "&seats=1&also=987654"},
			{"same event twice", "&seats=1&also=" + itoa64(evs[0].ID)},
		} {
			r := e.get(base + tc.query)
			if r.code != http.StatusUnprocessableEntity || (r.text(".gb-alert--error") == "" && r.text(".gb-error") == "") {
				t.Errorf("%s: %d, no message", tc.name, r.code)
			}
		}
		if r := e.get("/w/sunrise/contact?event=abc&seats=1"); r.code != http.StatusNotFound {
			t.Errorf("event=abc: %d", r.code)
		}
		if e.bookings() != 0 {
			t.Fatal("bad selection wrote bookings")
		}
	})
}

// TestBookTokenRefusals: a forged, altered, expired or other link's token
// books nothing.
func TestBookTokenRefusals(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 2, 10)
		s := e.contactForm(evs[0], "1").hidden("s")
		other := booking.Link{LocationID: e.f.Location.ID, Slug: "instagram", Enabled: true, MaxEvents: 1, MaxSeats: 1}
		if err := e.f.Store.SaveLink(ctx, &other); err != nil {
			t.Fatal(err)
		}
		forger := widget.NewFlow(e.f.Store, widget.NewSigner("not the server's secret, but long enough"))
		forged, _ := forger.Seal(&widget.Selection{LinkID: e.f.Link.ID, EventID: evs[1].ID, Seats: 4})
		payload, sig, _ := strings.Cut(s, ".")
		for _, tc := range []struct{ name, slug, token string }{
			{"empty", "sunrise", ""},
			{"forged", "sunrise", forged},
			{"altered", "sunrise", payload + "x." + sig},
			{"other link", "instagram", s},
		} {
			r := e.post("/w/"+tc.slug+"/book", contact(tc.token))
			if r.code != http.StatusBadRequest || r.text("h1") == "" {
				t.Errorf("%s: %d %q", tc.name, r.code, r.text("h1"))
			}
		}
		e.f.Now = e.f.Now.Add(3 * time.Hour)
		if r := e.post("/w/sunrise/book", contact(s)); r.code != http.StatusBadRequest || !strings.Contains(r.text("p"), "expired") {
			t.Errorf("expired: %d %q", r.code, r.text("p"))
		}
		if e.bookings() != 0 {
			t.Fatal("a refused token booked")
		}
		// A cross-site POST is refused before anything runs.
		r := e.post("/w/sunrise/book", contact(s), "Sec-Fetch-Site", "cross-site")
		if r.code != http.StatusForbidden {
			t.Errorf("cross-site post: %d", r.code)
		}
	})
}

// TestBookWhenAnEventFilledUp: all or nothing; the client sees which event
// is full and keeps the rest of the selection.
func TestBookWhenAnEventFilledUp(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 3, 3)
		s := e.contactForm(evs[0], "2", evs[1], evs[2]).hidden("s")
		// Meanwhile someone takes two of the three seats of the second event.
		if _, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: e.f.Location.ID, EventIDs: []int64{evs[1].ID}, Seats: 2, Client: booktest.Client(77)}); err != nil {
			t.Fatal(err)
		}
		r := e.post("/w/sunrise/book", contact(s))
		if r.code != http.StatusConflict {
			t.Fatalf("%d\n%s", r.code, r.body)
		}
		alert := r.text(".gb-alert--error")
		if !strings.Contains(alert, "full") || !strings.Contains(alert, "Wed 4 Mar") {
			t.Errorf("alert %q should name the full event", alert)
		}
		if e.taken(evs[0]) != 0 || e.taken(evs[2]) != 0 || e.bookings() != 1 {
			t.Fatal("something was booked although one event was full")
		}
		ticked := r.doc.Find(`input[name=also][checked]`)
		if ticked.Length() != 1 || ticked.AttrOr("value", "") != itoa64(evs[2].ID) {
			t.Errorf("the rest of the selection is not kept: %d ticked", ticked.Length())
		}
		if v := r.doc.Find(`input[name=event]`).AttrOr("value", ""); v != itoa64(evs[0].ID) {
			t.Errorf("chosen event %q", v)
		}
	})
}
