package booking

import (
	"context"
	"fmt"
	"time"
)

// SuppressedCount is how many of a location's messages one reason held
// back in the last day and the last week.
type SuppressedCount struct {
	Reason string `bun:"reason"` // LastError: "limit:phone:hour", "country:US"
	Day    int    `bun:"day"`
	Week   int    `bun:"week"`
}

// SuppressedCounts groups a location's suppressed messages of the last
// seven days by reason, the most frequent first.
func (s *Store) SuppressedCounts(ctx context.Context, locationID int64) ([]SuppressedCount, error) {
	now := s.now()
	var out []SuppressedCount
	err := s.db.NewSelect().Model((*OutboxMessage)(nil)).
		ColumnExpr("last_error AS reason").
		ColumnExpr("SUM(CASE WHEN created_at > ? THEN 1 ELSE 0 END) AS day", now.Add(-24*time.Hour)).
		ColumnExpr("COUNT(*) AS week").
		Where("location_id = ? AND status = ? AND created_at > ?", locationID, OutboxSuppressed, now.Add(-7*24*time.Hour)).
		GroupExpr("last_error").OrderExpr("week DESC, reason").
		Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("suppressed messages: %w", err)
	}
	return out, nil
}

// ActiveSMSLimits are the SMS limits in force.
func (s *Store) ActiveSMSLimits() SMSLimits { return s.smsLimits() }

// Limit returns the limit a reason's scope and span name ("phone",
// "hour"), or 0 for an unknown one.
func (l SMSLimits) Limit(scope, span string) int {
	m := map[string][2]int{
		"phone": {l.PhoneHour, l.PhoneDay}, "address": {l.AddressHour, l.AddressDay},
		"link": {l.LinkHour, l.LinkDay}, "location": {l.LocationHour, l.LocationDay},
	}
	v, ok := m[scope]
	switch {
	case !ok:
		return 0
	case span == "hour":
		return v[0]
	case span == "day":
		return v[1]
	}
	return 0
}
