package booktest

import (
	"context"
	"strings"
	"sync"

	"github.com/uptrace/bun"
)

// Statement is one statement bun sent, with its arguments (bun inlines
// them into Query on both dialects; Args is what it was given).
type Statement struct {
	Query string
	Args  []any
}

// StatementLog records the statements bun sends on a database while a
// function runs, BEGIN and COMMIT included: each is one round trip. Tests
// use it to bound a request's statements, so a change that makes them
// grow back fails.
type StatementLog struct {
	mu    sync.Mutex
	on    bool
	stmts []Statement
}

// LogStatements adds a statement log to db's query hooks.
func LogStatements(db *bun.DB) *StatementLog {
	l := new(StatementLog)
	db.AddQueryHook(l)
	return l
}

// BeforeQuery implements bun.QueryHook.
func (l *StatementLog) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

// AfterQuery implements bun.QueryHook.
func (l *StatementLog) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.on {
		l.stmts = append(l.stmts, Statement{Query: ev.Query, Args: ev.QueryArgs})
	}
}

// Record returns the statements sent while fn ran.
func (l *StatementLog) Record(fn func()) []Statement {
	l.mu.Lock()
	l.on, l.stmts = true, nil
	l.mu.Unlock()
	fn()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.stmts
}

// Queries joins the statements' texts, one per line, for a test's log.
func Queries(stmts []Statement) string {
	qs := make([]string, len(stmts))
	for i, s := range stmts {
		qs[i] = s.Query
	}
	return strings.Join(qs, "\n")
}
