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
	s.takeSeats = func(ctx context.Context, tx bun.Tx, eventID int64, n int) error {
		ev := new(Event)
		if err := tx.NewSelect().Model(ev).Where("id = ?", eventID).Scan(ctx); err != nil {
			return fmt.Errorf("read event: %w", err)
		}
		if ev.SeatsTaken+n > ev.Capacity {
			return ErrFull
		}
		runtime.Gosched() // the window every read-then-write has; widened a little
		_, err := tx.NewUpdate().Model((*Event)(nil)).Set("seats_taken = ?", ev.SeatsTaken+n).Where("id = ?", eventID).Exec(ctx)
		return err
	}
}

// SQLiteMaxConns is the SQLite pool's size, for tests that hold every
// connection at once.
const SQLiteMaxConns = sqliteMaxConns
