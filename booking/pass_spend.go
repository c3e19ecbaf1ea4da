package booking

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// lockPass locks a pass of a client at a location and reads it with its
// ledger's sums, and whether it covers serviceID (0: not asked).
//
// The row lock is what keeps concurrent spenders of one pass from
// overdrawing it on PostgreSQL: each reads the balance only after the
// previous one committed its entry. Every path takes it after the events'
// locks (Reserve, PayWithPass, cancel, move), so the lock order stays
// client, request key, events by id, pass, and nothing deadlocks. The sums
// are read by a second statement on purpose: a statement that waited for
// the lock sees the newest pass row, but the rest of what it reads as it
// was when it began, which would miss the entry the lock holder just
// committed. SQLite runs one writer at a time and needs no lock.
func (s *Store) lockPass(ctx context.Context, tx bun.Tx, ref PassRef, serviceID int64) (*ClientPass, bool, error) {
	p := new(ClientPass)
	q := tx.NewSelect().Model(p).Where("cp.id = ? AND cp.location_id = ? AND cp.client_id = ?", ref.PassID, ref.LocationID, ref.ClientID)
	if s.isPG() && !s.noPassLock {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, false, notFound(err, "pass", ref.PassID)
	}
	if s.noPassLock {
		runtime.Gosched() // the control's read-then-write window, widened a little
	}
	var sums struct {
		Balance int `bun:"balance"`
		Extra   int `bun:"extra"`
		Covers  int `bun:"covers"`
	}
	err := tx.NewRaw(`SELECT
		(SELECT COALESCE(SUM(visits), 0) FROM pass_entries WHERE pass_id = ?) AS balance,
		(SELECT COALESCE(SUM(days), 0) FROM pass_entries WHERE pass_id = ?) AS extra,
		(SELECT COUNT(*) FROM client_pass_services WHERE pass_id = ? AND service_id = ?) AS covers`,
		p.ID, p.ID, p.ID, serviceID).Scan(ctx, &sums)
	if err != nil {
		return nil, false, fmt.Errorf("pass %d ledger: %w", p.ID, err)
	}
	p.Balance, p.ExtraDays = sums.Balance, sums.Extra
	p.fillValidity()
	return p, sums.Covers > 0, nil
}

// passUse is one booking a pass is to pay: its event's local date and seats.
type passUse struct {
	BookingID int64
	EventID   int64
	Date      string // local date, DateLayout
	Seats     int
}

// checkPassUses applies every rule a pass must meet to pay for uses of a
// service it covers (or not): not voided or frozen, covering the service,
// valid on each use's date, and visits for every seat of every use. It
// returns the start date the pass would have (the first use's date when it
// had not started).
func checkPassUses(p *ClientPass, covers bool, uses []passUse) (string, error) {
	switch {
	case p.Voided():
		return "", fmt.Errorf("pass %d: %w", p.ID, ErrPassVoided)
	case p.Frozen():
		return "", fmt.Errorf("pass %d: %w", p.ID, ErrPassFrozen)
	case !covers:
		return "", fmt.Errorf("pass %d: %w", p.ID, ErrPassNotCovering)
	}
	sorted := slices.Clone(uses)
	slices.SortFunc(sorted, func(a, b passUse) int {
		if a.Date != b.Date {
			if a.Date < b.Date {
				return -1
			}
			return 1
		}
		return int(a.EventID - b.EventID)
	})
	start, until := p.StartsOn, p.ValidUntil
	if start == "" && len(sorted) > 0 {
		// Valid from first use: the earliest date booked starts it.
		start = sorted[0].Date
		d, _ := time.Parse(DateLayout, start)
		until = d.AddDate(0, 0, p.ValidityDays-1+p.ExtraDays).Format(DateLayout)
	}
	needed := 0
	for _, u := range sorted {
		if u.Date < start || u.Date > until {
			return "", &PassNotValidError{PassID: p.ID, EventID: u.EventID, Date: u.Date, ValidFrom: start, ValidUntil: until}
		}
		needed += u.Seats
	}
	if !p.Unlimited() && p.Balance < needed {
		return "", &PassShortError{PassID: p.ID, Left: max(p.Balance, 0), Needed: needed}
	}
	return start, nil
}

// spendPass writes the ledger rows of uses checked by checkPassUses (one
// visit entry per booking, -seats; 0 for an unlimited pass, which counts
// none but lists what it paid for) and starts a pass valid from first use.
func spendPass(ctx context.Context, tx bun.Tx, p *ClientPass, start string, uses []passUse, staffUserID int64, now time.Time) error {
	entries := make([]PassEntry, len(uses))
	for i, u := range uses {
		v := -u.Seats
		if p.Unlimited() {
			v = 0
		}
		entries[i] = PassEntry{PassID: p.ID, LocationID: p.LocationID, Kind: EntryVisit, Visits: v,
			BookingID: u.BookingID, StaffUserID: staffUserID, CreatedAt: now}
	}
	if len(entries) > 0 {
		if _, err := tx.NewInsert().Model(&entries).Exec(ctx); err != nil {
			return fmt.Errorf("pass %d visits: %w", p.ID, err)
		}
	}
	if p.StartsOn == "" && start != "" {
		// The first visit starts the validity; it is recorded by the visit
		// entries written together with it.
		if _, err := tx.NewUpdate().Model((*ClientPass)(nil)).Set("starts_on = ?", start).
			Where("id = ?", p.ID).Exec(ctx); err != nil {
			return fmt.Errorf("start pass %d: %w", p.ID, err)
		}
		p.StartsOn = start
		p.fillValidity()
	}
	for _, e := range entries {
		p.Balance += e.Visits
	}
	return nil
}

// eventDate is an event's local date at a location.
func eventDate(ev *Event, zone *time.Location) string {
	return ev.StartsAt.In(zone).Format(DateLayout)
}
