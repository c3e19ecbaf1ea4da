package booking

import (
	"context"
	"fmt"
)

// analysisLimit bounds how many index rows SQLite's ANALYZE reads per
// index, so keeping statistics current costs milliseconds however large
// the tables grow (the SQLite documentation recommends a few hundred).
const analysisLimit = 400

// Optimize keeps SQLite's planner statistics current. Without them
// (sqlite_stat1 is empty until ANALYZE runs) SQLite guesses, and with
// 50,000 events it guessed a plan that read every future event of the
// location for each Book another block. PRAGMA optimize analyses only the
// tables whose size changed a lot since their last analysis (0x10002:
// every table, not just those the connection queried), with analysis_limit
// bounding each run. It writes sqlite_stat1, so it takes its turn in the
// write queue. PostgreSQL keeps its own statistics (autovacuum's analyze):
// nothing to do there.
func (s *Store) Optimize(ctx context.Context) error {
	if s.isPG() {
		return nil
	}
	defer s.writeTurn(ctx)()
	// Both pragmas must run on one connection: analysis_limit is per
	// connection.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA analysis_limit=%d", analysisLimit)); err != nil {
		return fmt.Errorf("optimize: analysis_limit: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA optimize=0x10002"); err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	return nil
}
