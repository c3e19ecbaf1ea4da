package booking

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Bounds of a balance correction: a typo of 1000 visits is refused, not
// stored.
const (
	MaxPassCorrection = 100
	MaxPassExtendDays = MaxPassValidityDays
)

// passChange runs one staff change of a pass in a transaction: the pass is
// locked and read with its ledger, change decides the entry to add (and
// may update the pass's columns), and the entry is written. today is the
// location's local date.
func (s *Store) passChange(ctx context.Context, ref PassRef, change func(tx bun.Tx, p *ClientPass, today string) (*PassEntry, error)) (*ClientPass, error) {
	loc, err := s.Location(ctx, ref.LocationID)
	if err != nil {
		return nil, err
	}
	var out *ClientPass
	err = s.inQuietTx(ctx, func(tx bun.Tx) error {
		p, _, err := s.lockPass(ctx, tx, ref, 0)
		if err != nil {
			return err
		}
		e, err := change(tx, p, localToday(s.now(), loc))
		if err != nil {
			return err
		}
		e.PassID, e.LocationID, e.CreatedAt = p.ID, p.LocationID, s.now()
		if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
			return fmt.Errorf("pass %d %s entry: %w", p.ID, e.Kind, err)
		}
		out = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.ClientPass(ctx, PassRef{LocationID: out.LocationID, ClientID: out.ClientID, PassID: out.ID})
}

func setPassColumn(ctx context.Context, tx bun.Tx, id int64, column string, v any) error {
	if _, err := tx.NewUpdate().Model((*ClientPass)(nil)).Set("? = ?", bun.Ident(column), v).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("pass %d %s: %w", id, column, err)
	}
	return nil
}

// FreezePass pauses a pass from today: it pays for nothing while frozen,
// and unfreezing adds the days it was frozen to its validity.
func (s *Store) FreezePass(ctx context.Context, ref PassRef, staffUserID int64) (*ClientPass, error) {
	return s.passChange(ctx, ref, func(tx bun.Tx, p *ClientPass, today string) (*PassEntry, error) {
		switch {
		case p.Voided():
			return nil, fmt.Errorf("pass %d: %w", p.ID, ErrPassVoided)
		case p.Frozen():
			return nil, fmt.Errorf("pass %d: %w", p.ID, ErrPassAlreadyFrozen)
		}
		if err := setPassColumn(ctx, tx, p.ID, "frozen_on", today); err != nil {
			return nil, err
		}
		return &PassEntry{Kind: EntryFreeze, StaffUserID: staffUserID}, nil
	})
}

// UnfreezePass ends a freeze; a started pass's validity grows by the days
// it was frozen (the unfreeze entry's days).
func (s *Store) UnfreezePass(ctx context.Context, ref PassRef, staffUserID int64) (*ClientPass, error) {
	return s.passChange(ctx, ref, func(tx bun.Tx, p *ClientPass, today string) (*PassEntry, error) {
		switch {
		case p.Voided():
			return nil, fmt.Errorf("pass %d: %w", p.ID, ErrPassVoided)
		case !p.Frozen():
			return nil, fmt.Errorf("pass %d: %w", p.ID, ErrPassNotFrozen)
		}
		days := 0
		if p.StartsOn != "" {
			from, err1 := time.Parse(DateLayout, max(p.FrozenOn, p.StartsOn))
			to, err2 := time.Parse(DateLayout, today)
			if err1 == nil && err2 == nil && to.After(from) {
				days = int(to.Sub(from).Hours()/24 + 0.5)
			}
		}
		if err := setPassColumn(ctx, tx, p.ID, "frozen_on", nil); err != nil {
			return nil, err
		}
		return &PassEntry{Kind: EntryUnfreeze, Days: days, StaffUserID: staffUserID}, nil
	})
}

// ExtendPass adds days (1..MaxPassExtendDays) to a pass's validity.
func (s *Store) ExtendPass(ctx context.Context, ref PassRef, days int, staffUserID int64) (*ClientPass, error) {
	if days < 1 || days > MaxPassExtendDays {
		return nil, FieldErrors{"days": MsgPassExtendDays}
	}
	return s.passChange(ctx, ref, func(tx bun.Tx, p *ClientPass, today string) (*PassEntry, error) {
		if p.Voided() {
			return nil, fmt.Errorf("pass %d: %w", p.ID, ErrPassVoided)
		}
		return &PassEntry{Kind: EntryExtension, Days: days, StaffUserID: staffUserID}, nil
	})
}

// CorrectPass adds delta visits (±1..MaxPassCorrection) to a pass's
// balance, with the reason staff give. A correction that would leave the
// balance below 0 or above MaxPassVisits is refused at the field "visits".
func (s *Store) CorrectPass(ctx context.Context, ref PassRef, delta int, reason string, staffUserID int64) (*ClientPass, error) {
	reason = strings.TrimSpace(reason)
	c := newChecker()
	if delta == 0 || delta < -MaxPassCorrection || delta > MaxPassCorrection {
		c.add("visits", MsgPassCorrection)
	}
	c.text("reason", reason, true, MaxCommentLen)
	if err := c.err(); err != nil {
		return nil, err
	}
	return s.passChange(ctx, ref, func(tx bun.Tx, p *ClientPass, today string) (*PassEntry, error) {
		switch {
		case p.Voided():
			return nil, fmt.Errorf("pass %d: %w", p.ID, ErrPassVoided)
		case p.Unlimited():
			return nil, FieldErrors{"visits": MsgPassUnlimitedVisit}
		case p.Balance+delta < 0:
			return nil, FieldErrors{"visits": MsgPassBalanceBelow}
		case p.Balance+delta > MaxPassVisits:
			return nil, FieldErrors{"visits": MsgPassCorrection}
		}
		return &PassEntry{Kind: EntryCorrection, Visits: delta, Reason: reason, StaffUserID: staffUserID}, nil
	})
}

// VoidPass ends a pass for good: its remaining visits are written off by
// the void entry, and it pays for nothing more. Bookings it already paid
// stay paid.
func (s *Store) VoidPass(ctx context.Context, ref PassRef, reason string, staffUserID int64) (*ClientPass, error) {
	reason = strings.TrimSpace(reason)
	c := newChecker()
	c.text("reason", reason, false, MaxCommentLen)
	if err := c.err(); err != nil {
		return nil, err
	}
	return s.passChange(ctx, ref, func(tx bun.Tx, p *ClientPass, today string) (*PassEntry, error) {
		if p.Voided() {
			return nil, fmt.Errorf("pass %d: %w", p.ID, ErrPassVoided)
		}
		if err := setPassColumn(ctx, tx, p.ID, "voided_at", s.now()); err != nil {
			return nil, err
		}
		return &PassEntry{Kind: EntryVoid, Visits: -max(p.Balance, 0), Reason: reason, StaffUserID: staffUserID}, nil
	})
}
