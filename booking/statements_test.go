package booking_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// maxReserveStatements bounds the statements of a one-event widget
// booking with SMS on (the "booked" message and a reminder), BEGIN and
// COMMIT included. It was 28 before issue 9 (23 on SQLite); a change that
// makes it grow back fails here.
const maxReserveStatements = 12

// TestReserveStatementCount: a widget booking of one event, with SMS on,
// costs at most maxReserveStatements round trips on either database.
func TestReserveStatementCount(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 24)
		evs := f.YogaEvents(t, 2, 10)
		log := booktest.LogStatements(db)
		for i, ev := range evs {
			r := req(f, i, 1, ev)
			r.ClientIP, r.Key = "198.51.100.7", "count-"+string(rune('a'+i))
			var err error
			got := log.Record(func() { _, err = f.Store.Reserve(ctx, r) })
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("booking %d: %d statements:\n%s", i, len(got), booktest.Queries(got))
			if len(got) > maxReserveStatements {
				t.Errorf("booking %d took %d statements, at most %d allowed", i, len(got), maxReserveStatements)
			}
		}
		msgs := outbox(t, db)
		if len(msgs) != 4 {
			t.Errorf("%d messages queued, want a booked message and a reminder per booking", len(msgs))
		}
	})
}
