package booking

import (
	"context"
	"fmt"
	"runtime"

	"github.com/uptrace/bun"
)

// UseUnsafeSeatTaking turns off both guards against overselling: seats are
// taken by reading seats_taken and writing back an absolute value, with no
// row lock. Only the concurrency test's control uses it, to prove that the
// test fails when the guards are gone.
func UseUnsafeSeatTaking(s *Store) {
	s.noRowLocks = true
	s.takeSeats = func(ctx context.Context, tx bun.Tx, eventIDs []int64, n int) ([]int64, error) {
		var full []int64
		for _, id := range eventIDs {
			ev := new(Event)
			if err := tx.NewSelect().Model(ev).Where("id = ?", id).Scan(ctx); err != nil {
				return nil, fmt.Errorf("read event: %w", err)
			}
			if ev.SeatsTaken+n > ev.Capacity {
				full = append(full, id)
				continue
			}
			runtime.Gosched() // the window every read-then-write has; widened a little
			if _, err := tx.NewUpdate().Model((*Event)(nil)).Set("seats_taken = ?", ev.SeatsTaken+n).Where("id = ?", id).Exec(ctx); err != nil {
				return nil, err
			}
		}
		return full, nil
	}
}

// SQLiteMaxConns is the SQLite pool's size, for tests that hold every
// connection at once.
const SQLiteMaxConns = sqliteMaxConns

// UseUnsafePassSpending spends passes without their row lock, so two
// spenders can both read the same balance. Only the pass race test's
// control uses it, to prove that the test catches an overdraw.
func UseUnsafePassSpending(s *Store) { s.noPassLock = true }
