package booking

import (
	"context"
	"fmt"
)

// SetReturnVisitsLateCancel saves the location's choice whether a late
// cancel or a no-show gives a pass its visits back (Location.ReturnVisitsLateCancel).
// It is kept out of LocationInput so the location form, which does not show
// it, can never reset it.
func (s *Store) SetReturnVisitsLateCancel(ctx context.Context, locationID int64, on bool) error {
	defer s.writeTurn(ctx)()
	res, err := s.db.NewUpdate().Model((*Location)(nil)).Set("return_visits_late_cancel = ?", on).
		Where("id = ?", locationID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("location %d return visits setting: %w", locationID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("location %d: %w", locationID, ErrNotFound)
	}
	return nil
}
