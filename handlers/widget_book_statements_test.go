package handlers

import (
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// maxWidgetBookingStatements bounds the statements of one widget booking
// over HTTP, the contact step (GET) and the booking (POST) together, for
// one event with SMS on. It was 45 before issue 9 on PostgreSQL (40 on
// SQLite), and 32 before the contact step judged the service and team
// member rules on the link's cached catalog.
const maxWidgetBookingStatements = 28

// TestWidgetBookingStatementCount: a visitor's booking of one event, from
// the contact form to the booking, costs at most
// maxWidgetBookingStatements round trips on either database; a change
// that makes it grow back fails here.
func TestWidgetBookingStatementCount(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		enableSMSFor(t, e.f)
		evs := e.f.YogaEvents(t, 3, 10)
		counter := booktest.LogStatements(db)
		for i, ev := range evs {
			var ct, done *page
			got := counter.Record(func() {
				ct = e.contactForm(ev, "1")
				if ct.code != 200 {
					return
				}
				form := contact(ct.hidden("s"))
				form.Set("phone", "06 20 123 45"+string(rune('0'+i))+"7")
				done = e.post("/w/sunrise/book", form)
			})
			if ct.code != 200 || done == nil || done.code != 303 {
				t.Fatalf("booking %d did not go through: contact %d", i, ct.code)
			}
			t.Logf("booking %d: %d statements:\n%s", i, len(got), booktest.Queries(got))
			if len(got) > maxWidgetBookingStatements {
				t.Errorf("booking %d took %d statements, at most %d allowed", i, len(got), maxWidgetBookingStatements)
			}
		}
	})
}
