package booking

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// LocationInput is what an admin edits on a location.
type LocationInput struct {
	Name        string
	Address     string
	Phone       string
	TimeZone    string
	Country     string
	DefaultLang string
	// AnyMemberAnyService: see Location.AnyMemberAnyService.
	AnyMemberAnyService bool
}

func (in *LocationInput) normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.Address = strings.TrimSpace(in.Address)
	in.Phone = strings.TrimSpace(in.Phone)
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
}

func (in *LocationInput) validate() error {
	c := newChecker()
	c.text("name", in.Name, true, MaxNameLen)
	c.text("address", in.Address, false, MaxAddressLen)
	c.text("phone", in.Phone, false, 32)
	// "Local" and "" load as the server's zone, never what a studio means.
	if in.TimeZone == "" || in.TimeZone == "Local" {
		c.add("time_zone", MsgInvalidTimeZone)
	} else if _, err := time.LoadLocation(in.TimeZone); err != nil {
		c.add("time_zone", MsgInvalidTimeZone)
	}
	if !ValidCountry(in.Country) {
		c.add("country", MsgInvalidCountry)
	}
	if !ValidLanguage(in.DefaultLang) {
		c.add("default_lang", MsgInvalidLanguage)
	}
	return c.err()
}

// CreateLocation validates and stores a new location.
func (s *Store) CreateLocation(ctx context.Context, in LocationInput) (*Location, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return nil, err
	}
	loc := &Location{
		Name: in.Name, Address: in.Address, Phone: in.Phone, TimeZone: in.TimeZone,
		Country: in.Country, DefaultLang: in.DefaultLang, CreatedAt: s.now(),
		AnyMemberAnyService: in.AnyMemberAnyService,
	}
	defer s.writeTurn(ctx)()
	if _, err := s.db.NewInsert().Model(loc).Exec(ctx); err != nil {
		return nil, fmt.Errorf("create location: %w", err)
	}
	return loc, nil
}

// UpdateLocation validates and saves a location's settings.
func (s *Store) UpdateLocation(ctx context.Context, id int64, in LocationInput) (*Location, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return nil, err
	}
	loc, err := s.Location(ctx, id)
	if err != nil {
		return nil, err
	}
	loc.Name, loc.Address, loc.Phone = in.Name, in.Address, in.Phone
	loc.TimeZone, loc.Country, loc.DefaultLang = in.TimeZone, in.Country, in.DefaultLang
	loc.AnyMemberAnyService = in.AnyMemberAnyService
	defer s.writeTurn(ctx)()
	if _, err := s.db.NewUpdate().Model(loc).WherePK().
		Column("name", "address", "phone", "time_zone", "country", "default_lang", "any_member_any_service").
		Exec(ctx); err != nil {
		return nil, fmt.Errorf("update location %d: %w", id, err)
	}
	return loc, nil
}

// Location loads one location.
func (s *Store) Location(ctx context.Context, id int64) (*Location, error) {
	loc := new(Location)
	if err := s.db.NewSelect().Model(loc).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "location", id)
	}
	return loc, nil
}

// Locations lists every location.
func (s *Store) Locations(ctx context.Context) ([]Location, error) {
	var locs []Location
	if err := s.db.NewSelect().Model(&locs).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list locations: %w", err)
	}
	return locs, nil
}
