package booking

import "context"

// PaymentEntryByID reads one ledger row of the location; another
// location's is ErrNotFound. The Payments page finds a flagged charge's
// payment with it, to refund it (RefundFlagged). (Added by the admin
// side of issue 11; read-only.)
func (s *Store) PaymentEntryByID(ctx context.Context, locationID, entryID int64) (*PaymentEntry, error) {
	e := new(PaymentEntry)
	if err := s.db.NewSelect().Model(e).Where("id = ? AND location_id = ?", entryID, locationID).Scan(ctx); err != nil {
		return nil, notFound(err, "payment entry", entryID)
	}
	return e, nil
}
