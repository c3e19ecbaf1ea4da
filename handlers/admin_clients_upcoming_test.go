package handlers

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// Issue 8, item 19d: the client page's "Upcoming" count counted cancelled
// bookings. The cancelled one stays in the list, marked, but the count
// says how many will happen.
func TestAdminClientUpcomingCountSkipsCancelled(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		w := newClientsWorld(t, e)
		c := e.signIn(staffEmail)
		e.f.Now = w.yoga[0].StartsAt.Add(2 * time.Hour) // Anna: next Yoga and the Pilates ahead
		badge := func() string {
			t.Helper()
			return c.get("/admin/clients/" + idString(w.anna.ID)).text("#admin-clients-upcoming-title .ga-badge")
		}
		if got := badge(); got != "2" {
			t.Fatalf("upcoming count %q, want 2", got)
		}
		b, err := e.f.Store.EventBookings(context.Background(), w.pilates.ID)
		if err != nil || len(b) != 1 {
			t.Fatal(err)
		}
		if _, err := e.f.Store.CancelByAdmin(context.Background(), b[0].ID); err != nil {
			t.Fatal(err)
		}
		p := c.get("/admin/clients/" + idString(w.anna.ID))
		if got := p.text("#admin-clients-upcoming-title .ga-badge"); got != "1" {
			t.Errorf("upcoming count with one cancelled %q, want 1", got)
		}
		if n := p.doc.Find("#admin-clients-upcoming tbody tr").Length(); n != 2 {
			t.Errorf("%d upcoming rows, want 2 (the cancelled one kept, marked)", n)
		}
		// The search list's column agrees.
		row := c.get("/admin/clients?q=Anna").doc.Find(`#admin-clients-table tbody tr:has(a[href="/admin/clients/` + idString(w.anna.ID) + `"])`)
		if got := row.Find("td.ga-clients-num").First().Text(); got != "1" {
			t.Errorf("search list upcoming count %q, want 1", got)
		}
	})
}
