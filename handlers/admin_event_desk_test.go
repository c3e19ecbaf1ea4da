package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// messagesTo counts the outbox rows addressed to phone.
func (e *eventEnv) messagesTo(phone string) int {
	e.t.Helper()
	n, err := e.db.NewSelect().Model((*booking.OutboxMessage)(nil)).Where("phone = ?", phone).Count(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return int(n)
}

// notifyBox is the add form's "send the client a message" checkbox.
func notifyBox(p *page) (shown, checked bool, label string) {
	box := p.doc.Find(`#gae-add input[type=checkbox][name=notify]`)
	if box.Length() == 0 {
		return false, false, ""
	}
	_, checked = box.Attr("checked")
	return true, checked, strings.TrimSpace(box.Parent().Text())
}

// TestAdminEventAddQuiet: the add-client panel's "Send the client an SMS"
// box starts ticked, unticking it books without any client message, and
// the next panel remembers the choice, per user; a location that sends
// clients nothing shows no box.
func TestAdminEventAddQuiet(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail)
		ctx := context.Background()
		ev := e.yoga[1]

		if shown, _, _ := notifyBox(e.c.get(e.url(ev))); shown {
			t.Error("a box to turn off messages the location does not send")
		}
		if err := e.f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: e.f.Location.ID, Enabled: true, ReminderHours: 24}); err != nil {
			t.Fatal(err)
		}
		shown, checked, label := notifyBox(e.c.get(e.url(ev)))
		if !shown || !checked || label != "Send the client an SMS" {
			t.Fatalf("fresh panel: shown %v checked %v label %q", shown, checked, label)
		}

		// Unticked (an unticked box posts nothing): booked, nothing sent.
		f := addForm("06 30 555 1234", "Kata")
		f.Set("notify_shown", "1")
		if p := e.c.post(e.url(ev, "/clients"), f); p.code != http.StatusSeeOther {
			t.Fatalf("quiet add: %d\n%s", p.code, p.body)
		}
		if e.taken(ev) != 1 || e.messagesTo("+36305551234") != 0 {
			t.Fatalf("quiet add: taken %d, %d messages", e.taken(ev), e.messagesTo("+36305551234"))
		}
		if u, _ := e.f.Store.User(ctx, e.staff.ID); u.DeskClientMessages {
			t.Error("the unticked choice is not saved")
		}
		if _, checked, _ := notifyBox(e.c.get(e.url(ev))); checked {
			t.Error("the next panel does not remember the unticked box")
		}
		// Another user's panel is their own.
		owner := e.signIn(ownerEmail)
		if _, checked, _ := notifyBox(owner.get(e.url(ev))); !checked {
			t.Error("another user's box follows this user's choice")
		}

		// Ticked again (htmx): the client is told, and the fresh form in
		// the answer starts ticked.
		f = addForm("06 30 555 7777", "Luca")
		f.Set("notify_shown", "1")
		f.Set("notify", "1")
		p := e.c.post(e.url(ev, "/clients"), f, htmx...)
		if p.code != http.StatusOK || e.taken(ev) != 2 {
			t.Fatalf("loud add: %d\n%s", p.code, p.body)
		}
		if e.messagesTo("+36305557777") == 0 {
			t.Error("ticked box: no message to the client")
		}
		if _, checked, _ := notifyBox(p); !checked {
			t.Error("the form after a ticked add is unticked")
		}
		if u, _ := e.f.Store.User(ctx, e.staff.ID); !u.DeskClientMessages {
			t.Error("the ticked choice is not saved")
		}

		// A refused add still keeps the box as posted.
		f = addForm("06 30 555 8888", "")
		f.Set("notify_shown", "1")
		p = e.c.post(e.url(ev, "/clients"), f, htmx...)
		if p.code != http.StatusUnprocessableEntity {
			t.Fatalf("bad add: %d", p.code)
		}
		if shown, checked, _ := notifyBox(p); !shown || checked {
			t.Errorf("refused form: shown %v checked %v", shown, checked)
		}

		// A location that writes e-mail too: the box says "confirmation".
		if _, err := e.db.NewUpdate().Model((*booking.Location)(nil)).Set("message_channel = ?", booking.ChannelBoth).
			Where("id = ?", e.f.Location.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if shown, _, label := notifyBox(e.c.get(e.url(ev))); !shown || label != "Send the client a confirmation" {
			t.Errorf("e-mail location: shown %v label %q", shown, label)
		}
		e.invariant()
	})
}
