package booking

import (
	"context"
	"fmt"
	"strings"
)

// ServiceInput is what an admin edits on a service.
type ServiceInput struct {
	Name            string
	Category        string
	DurationMin     int
	DefaultCapacity int
	PriceMinor      int64
	Currency        string
	Color           string
	OnlineBooking   bool
	// MinAttendees (0: none) and MinDecideHours (0: the default) are the
	// service's minimum-attendee rule (min_attendees.go).
	MinAttendees   int
	MinDecideHours int
}

func (in *ServiceInput) normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.Category = strings.TrimSpace(in.Category)
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
}

func (in *ServiceInput) validate() error {
	c := newChecker()
	c.text("name", in.Name, true, MaxNameLen)
	c.text("category", in.Category, false, MaxNameLen)
	c.rangeInt("duration_min", in.DurationMin, 1, 24*60)
	if in.DefaultCapacity <= 0 {
		c.add("default_capacity", MsgMustBePositive)
	}
	c.rangeInt("default_capacity", in.DefaultCapacity, 1, 10000)
	if in.PriceMinor < 0 {
		c.add("price_minor", MsgOutOfRange)
	}
	if !upperRe.MatchString(in.Currency) {
		c.add("currency", MsgInvalidCurrency)
	}
	c.color("color", in.Color)
	if in.MinDecideHours == 0 {
		in.MinDecideHours = DefaultMinDecideHours
	}
	c.rangeInt("min_attendees", in.MinAttendees, 0, 10000)
	c.rangeInt("min_decide_hours", in.MinDecideHours, 1, MaxMinDecideHours)
	return c.err()
}

// CreateService validates and stores a new service at a location.
func (s *Store) CreateService(ctx context.Context, locationID int64, in ServiceInput) (*Service, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return nil, err
	}
	if _, err := s.Location(ctx, locationID); err != nil {
		return nil, err
	}
	svc := &Service{
		LocationID: locationID, Name: in.Name, Category: in.Category,
		DurationMin: in.DurationMin, DefaultCapacity: in.DefaultCapacity,
		PriceMinor: in.PriceMinor, Currency: in.Currency, Color: in.Color,
		MinAttendees: in.MinAttendees, MinDecideHours: in.MinDecideHours,
		OnlineBooking: in.OnlineBooking, Active: true, CreatedAt: s.now(),
	}
	defer s.writeTurn(ctx)()
	if _, err := s.db.NewInsert().Model(svc).Exec(ctx); err != nil {
		return nil, fmt.Errorf("create service: %w", err)
	}
	return svc, nil
}

// UpdateService validates and saves a service.
func (s *Store) UpdateService(ctx context.Context, id int64, in ServiceInput) (*Service, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return nil, err
	}
	svc, err := s.Service(ctx, id)
	if err != nil {
		return nil, err
	}
	svc.Name, svc.Category, svc.DurationMin = in.Name, in.Category, in.DurationMin
	svc.DefaultCapacity, svc.PriceMinor, svc.Currency = in.DefaultCapacity, in.PriceMinor, in.Currency
	svc.Color, svc.OnlineBooking = in.Color, in.OnlineBooking
	svc.MinAttendees, svc.MinDecideHours = in.MinAttendees, in.MinDecideHours
	defer s.writeTurn(ctx)()
	if _, err := s.db.NewUpdate().Model(svc).WherePK().
		Column("name", "category", "duration_min", "default_capacity", "price_minor", "currency", "color", "online_booking", "min_attendees", "min_decide_hours").
		Exec(ctx); err != nil {
		return nil, fmt.Errorf("update service %d: %w", id, err)
	}
	return svc, nil
}

// SetServiceActive archives (false) or restores (true) a service. Archived
// services keep their history but take no new events or bookings.
func (s *Store) SetServiceActive(ctx context.Context, id int64, active bool) error {
	defer s.writeTurn(ctx)()
	res, err := s.db.NewUpdate().Model((*Service)(nil)).Set("active = ?", active).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("archive service %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("service %d: %w", id, ErrNotFound)
	}
	return nil
}

// Service loads one service.
func (s *Store) Service(ctx context.Context, id int64) (*Service, error) {
	svc := new(Service)
	if err := s.db.NewSelect().Model(svc).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "service", id)
	}
	return svc, nil
}

// Services lists a location's services, active ones only unless all is set.
func (s *Store) Services(ctx context.Context, locationID int64, all bool) ([]Service, error) {
	var out []Service
	q := s.db.NewSelect().Model(&out).Where("location_id = ?", locationID).Order("name", "id")
	if !all {
		q = q.Where("active")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list services: %w", err)
	}
	return out, nil
}
