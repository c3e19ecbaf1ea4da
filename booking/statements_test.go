package booking_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// statementLog records every statement bun sends, BEGIN and COMMIT
// included: each is one round trip to the database.
type statementLog struct {
	mu    sync.Mutex
	on    bool
	texts []string
}

func (l *statementLog) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (l *statementLog) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.on {
		l.texts = append(l.texts, ev.Query)
	}
}

// record returns the statements fn sent.
func (l *statementLog) record(fn func()) []string {
	l.mu.Lock()
	l.on, l.texts = true, nil
	l.mu.Unlock()
	fn()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.texts
}

func logStatements(db *bun.DB) *statementLog {
	l := new(statementLog)
	db.AddQueryHook(l)
	return l
}

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
		log := logStatements(db)
		for i, ev := range evs {
			r := req(f, i, 1, ev)
			r.ClientIP, r.Key = "198.51.100.7", "count-"+string(rune('a'+i))
			var err error
			got := log.record(func() { _, err = f.Store.Reserve(ctx, r) })
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("booking %d: %d statements:\n%s", i, len(got), strings.Join(got, "\n"))
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
