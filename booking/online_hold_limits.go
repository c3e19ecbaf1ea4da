package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// A hold takes seats without money, for minutes. Unlimited, anyone could
// hold every seat of a studio's week again and again and never pay (no
// SMS code is needed where the link does not ask for one), so holds are
// limited per client and per address: a real client pays one selection at
// a time, and a family or an office shares an address.
const (
	// MaxActiveHolds is how many held groups one client (phone) may have
	// waiting for payment at once.
	MaxActiveHolds = 2
	// MaxHoldsPerAddress is how many holds one address (an IPv6 /64) may
	// start within HoldAddressWindow.
	MaxHoldsPerAddress = 10
	HoldAddressWindow  = time.Hour
)

// ErrTooManyHolds refuses a hold beyond those limits: nothing is held.
var ErrTooManyHolds = errors.New("too many bookings awaiting payment")

// admitHoldAddress counts a hold from a widget client's address. It runs
// before the booking's transaction, so a refused request writes nothing
// but the count.
func (s *Store) admitHoldAddress(ctx context.Context, ip string) error {
	if ip == "" {
		return nil
	}
	ok, err := s.RateAllow(ctx, "hold:"+addressKey(ip), MaxHoldsPerAddress, HoldAddressWindow)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("address %s: %w", ip, ErrTooManyHolds)
	}
	return nil
}

// checkActiveHolds refuses a client's hold beyond MaxActiveHolds. The
// client's row is locked by then (upsertClient, first in the lock order),
// so two holds of one client count each other exactly.
func checkActiveHolds(ctx context.Context, tx bun.Tx, locationID, clientID, groupID int64) error {
	n, err := tx.NewSelect().Model((*Group)(nil)).
		Where("location_id = ? AND client_id = ? AND state = ? AND id <> ?", locationID, clientID, GroupPendingPayment, groupID).
		Count(ctx)
	if err != nil {
		return fmt.Errorf("client %d holds: %w", clientID, err)
	}
	if n >= MaxActiveHolds {
		return fmt.Errorf("client %d holds %d: %w", clientID, n, ErrTooManyHolds)
	}
	return nil
}
