package migrations

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// checkWidening is one CHECK constraint SQLite must accept more values in:
// the text of the table's CREATE statement before and after.
type checkWidening struct {
	table, from, to string
}

// onlinePaymentChecks widen bookings.payment and pass_entries.method for
// online payment (0009). PostgreSQL drops and re-adds the constraints in
// 0009's SQL; SQLite cannot alter a CHECK.
var onlinePaymentChecks = []checkWidening{
	{"bookings",
		"CHECK (payment IN ('unpaid', 'desk', 'pass', 'free'))",
		"CHECK (payment IN ('unpaid', 'desk', 'pass', 'free', 'online', 'online_pending'))"},
	{"pass_entries",
		"CHECK (method IN ('', 'cash', 'card', 'other'))",
		"CHECK (method IN ('', 'cash', 'card', 'other', 'online'))"},
}

// sqliteWidenChecks is the Go migration that runs on SQLite right after
// 0009 (its name sorts between 0009 and 0010). Rebuilding bookings and
// pass_entries the documented way (new table, copy, drop, rename) would
// have to rebuild every table referencing them too; widening a CHECK only
// accepts more rows, so no stored row can violate the new text, which is
// the case SQLite's documentation allows editing sqlite_schema for. The
// schema_version bump makes every other pooled connection re-read the
// schema before its next statement. All of it runs in one transaction: a
// failure leaves the schema as it was.
func sqliteWidenChecks() migrate.Migration {
	return migrate.Migration{
		Name:    "00091",
		Comment: "sqlite_widen_checks",
		Up: func(ctx context.Context, m *migrate.Migrator, _ *migrate.Migration) error {
			return m.DB().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				return widenChecks(ctx, tx, onlinePaymentChecks)
			})
		},
		Down: func(context.Context, *migrate.Migrator, *migrate.Migration) error { return nil },
	}
}

func widenChecks(ctx context.Context, tx bun.Tx, list []checkWidening) error {
	var version int64
	if err := tx.NewRaw("PRAGMA schema_version").Scan(ctx, &version); err != nil {
		return fmt.Errorf("widen checks: schema version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA writable_schema = ON"); err != nil {
		return fmt.Errorf("widen checks: writable schema: %w", err)
	}
	// Off again whatever happens: the connection returns to the pool.
	defer tx.ExecContext(context.WithoutCancel(ctx), "PRAGMA writable_schema = OFF") //nolint:errcheck // best effort; the migration's error wins
	for _, w := range list {
		var sql string
		if err := tx.NewRaw("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", w.table).Scan(ctx, &sql); err != nil {
			return fmt.Errorf("widen checks: %s schema: %w", w.table, err)
		}
		if strings.Count(sql, w.from) != 1 {
			return fmt.Errorf("widen checks: %s: expected one %q in its schema", w.table, w.from)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?",
			strings.Replace(sql, w.from, w.to, 1), w.table); err != nil {
			return fmt.Errorf("widen checks: %s: %w", w.table, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA schema_version = %d", version+1)); err != nil {
		return fmt.Errorf("widen checks: bump schema version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA writable_schema = OFF"); err != nil {
		return fmt.Errorf("widen checks: writable schema off: %w", err)
	}
	return nil
}
