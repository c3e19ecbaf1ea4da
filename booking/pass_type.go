package booking

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Kinds of pass.
const (
	// PassVisits counts visits: each seat of each event booked takes one.
	PassVisits = "visits"
	// PassUnlimited lets its holder book any number of events while valid.
	PassUnlimited = "unlimited"
)

// When a pass's validity starts.
const (
	ValidFromSale     = "sale"
	ValidFromFirstUse = "first_use"
)

// Limits of a pass type.
const (
	MaxPassVisits       = 500
	MaxPassValidityDays = 730
)

// PassType is what a location sells: "10 Yoga classes in 90 days", or
// "unlimited Yoga for 30 days".
type PassType struct {
	bun.BaseModel `bun:"table:pass_types,alias:pt"`

	ID           int64     `bun:"id,pk,autoincrement"`
	LocationID   int64     `bun:"location_id"`
	Name         string    `bun:"name"`
	Kind         string    `bun:"kind"`
	Visits       int       `bun:"visits"` // 0 for PassUnlimited
	ValidityDays int       `bun:"validity_days"`
	ValidFrom    string    `bun:"valid_from"`
	PriceMinor   int64     `bun:"price_minor"`
	Currency     string    `bun:"currency"`
	OnSaleOnline bool      `bun:"on_sale_online"`
	Archived     bool      `bun:"archived"`
	CreatedAt    time.Time `bun:"created_at"`
	ServiceIDs   []int64   `bun:"-"`
}

// Unlimited tells whether the type counts no visits.
func (p *PassType) Unlimited() bool { return p.Kind == PassUnlimited }

type passTypeService struct {
	bun.BaseModel `bun:"table:pass_type_services"`

	PassTypeID int64 `bun:"pass_type_id,pk"`
	ServiceID  int64 `bun:"service_id,pk"`
}

// PassTypeInput is what staff edit on a pass type. Visits is ignored for
// PassUnlimited.
type PassTypeInput struct {
	Name         string
	Kind         string
	Visits       int
	ValidityDays int
	ValidFrom    string
	PriceMinor   int64
	Currency     string
	OnSaleOnline bool
	ServiceIDs   []int64
}

func (in *PassTypeInput) normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	ids := slices.Clone(in.ServiceIDs)
	slices.Sort(ids)
	in.ServiceIDs = slices.Compact(ids)
	if in.Kind == PassUnlimited {
		in.Visits = 0
	}
}

// validate checks the fields; services are checked against the location by
// checkServices, which needs the database.
func (in *PassTypeInput) validate() *checker {
	c := newChecker()
	c.text("name", in.Name, true, MaxNameLen)
	switch in.Kind {
	case PassVisits:
		if in.Visits < 1 || in.Visits > MaxPassVisits {
			c.add("visits", MsgPassVisitsRange)
		}
	case PassUnlimited:
	default:
		c.add("kind", MsgInvalidPassKind)
	}
	if in.ValidityDays < 1 || in.ValidityDays > MaxPassValidityDays {
		c.add("validity_days", MsgPassValidityRange)
	}
	if in.ValidFrom != ValidFromSale && in.ValidFrom != ValidFromFirstUse {
		c.add("valid_from", MsgInvalidValidFrom)
	}
	if in.PriceMinor < 0 || in.PriceMinor > MaxPriceMinor {
		c.add("price_minor", MsgOutOfRange)
	}
	if !upperRe.MatchString(in.Currency) {
		c.add("currency", MsgInvalidCurrency)
	}
	if len(in.ServiceIDs) == 0 {
		c.add("services", MsgPassNoServices)
	}
	return c
}

// MaxPriceMinor bounds a price typed by staff: far above any real price, far
// below where int64 sums could overflow.
const MaxPriceMinor int64 = 1_000_000_000_00

// checkServices refuses services that are not the location's own: ids come
// from a form, and another location's service must not be coverable.
func checkPassServices(ctx context.Context, db bun.IDB, c *checker, locationID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	n, err := db.NewSelect().Model((*Service)(nil)).
		Where("location_id = ?", locationID).Where("id IN (?)", bun.List(ids)).Count(ctx)
	if err != nil {
		return fmt.Errorf("check pass services: %w", err)
	}
	if int(n) != len(ids) {
		c.add("services", MsgUnknownService)
	}
	return nil
}

// CreatePassType validates and stores a new pass type at a location.
func (s *Store) CreatePassType(ctx context.Context, locationID int64, in PassTypeInput) (*PassType, error) {
	in.normalize()
	c := in.validate()
	if err := checkPassServices(ctx, s.db, c, locationID, in.ServiceIDs); err != nil {
		return nil, err
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	if _, err := s.Location(ctx, locationID); err != nil {
		return nil, err
	}
	pt := &PassType{LocationID: locationID, CreatedAt: s.now()}
	in.apply(pt)
	err := s.inQuietTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(pt).Exec(ctx); err != nil {
			return fmt.Errorf("create pass type: %w", err)
		}
		return setPassTypeServices(ctx, tx, pt.ID, in.ServiceIDs)
	})
	if err != nil {
		return nil, err
	}
	return pt, nil
}

func (in *PassTypeInput) apply(pt *PassType) {
	pt.Name, pt.Kind, pt.Visits, pt.ValidityDays = in.Name, in.Kind, in.Visits, in.ValidityDays
	pt.ValidFrom, pt.PriceMinor, pt.Currency, pt.OnSaleOnline = in.ValidFrom, in.PriceMinor, in.Currency, in.OnSaleOnline
	pt.ServiceIDs = in.ServiceIDs
}

// UpdatePassType validates and saves a pass type of the location. Passes
// already sold keep the terms they were sold with.
func (s *Store) UpdatePassType(ctx context.Context, locationID, id int64, in PassTypeInput) (*PassType, error) {
	in.normalize()
	c := in.validate()
	if err := checkPassServices(ctx, s.db, c, locationID, in.ServiceIDs); err != nil {
		return nil, err
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	pt, err := s.PassType(ctx, locationID, id)
	if err != nil {
		return nil, err
	}
	in.apply(pt)
	err = s.inQuietTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(pt).WherePK().Where("location_id = ?", locationID).
			Column("name", "kind", "visits", "validity_days", "valid_from", "price_minor", "currency", "on_sale_online").
			Exec(ctx); err != nil {
			return fmt.Errorf("update pass type %d: %w", id, err)
		}
		return setPassTypeServices(ctx, tx, pt.ID, in.ServiceIDs)
	})
	if err != nil {
		return nil, err
	}
	return pt, nil
}

func setPassTypeServices(ctx context.Context, tx bun.Tx, id int64, serviceIDs []int64) error {
	if _, err := tx.NewDelete().Model((*passTypeService)(nil)).Where("pass_type_id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("clear pass type services: %w", err)
	}
	rows := make([]passTypeService, len(serviceIDs))
	for i, sid := range serviceIDs {
		rows[i] = passTypeService{PassTypeID: id, ServiceID: sid}
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("set pass type services: %w", err)
	}
	return nil
}

// ArchivePassType takes a pass type off sale (archived true) or back on.
// Passes already sold are not touched.
func (s *Store) ArchivePassType(ctx context.Context, locationID, id int64, archived bool) error {
	defer s.quietTurn(ctx)()
	res, err := s.db.NewUpdate().Model((*PassType)(nil)).Set("archived = ?", archived).
		Where("id = ? AND location_id = ?", id, locationID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("archive pass type %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("pass type %d: %w", id, ErrNotFound)
	}
	return nil
}

// PassType loads one pass type of the location with its services; another
// location's type is ErrNotFound.
func (s *Store) PassType(ctx context.Context, locationID, id int64) (*PassType, error) {
	pt := new(PassType)
	if err := s.db.NewSelect().Model(pt).Where("id = ? AND location_id = ?", id, locationID).Scan(ctx); err != nil {
		return nil, notFound(err, "pass type", id)
	}
	list := []PassType{*pt}
	if err := s.loadPassTypeServices(ctx, list); err != nil {
		return nil, err
	}
	return &list[0], nil
}

// PassTypes lists a location's pass types, archived ones included (see
// PassType.Archived), each with its services.
func (s *Store) PassTypes(ctx context.Context, locationID int64) ([]PassType, error) {
	var out []PassType
	if err := s.db.NewSelect().Model(&out).Where("location_id = ?", locationID).Order("archived", "name", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list pass types: %w", err)
	}
	if err := s.loadPassTypeServices(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) loadPassTypeServices(ctx context.Context, list []PassType) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	var rows []passTypeService
	if err := s.db.NewSelect().Model(&rows).Where("pass_type_id IN (?)", bun.List(ids)).
		Order("pass_type_id", "service_id").Scan(ctx); err != nil {
		return fmt.Errorf("pass type services: %w", err)
	}
	for i := range list {
		list[i].ServiceIDs = nil
		for _, r := range rows {
			if r.PassTypeID == list[i].ID {
				list[i].ServiceIDs = append(list[i].ServiceIDs, r.ServiceID)
			}
		}
	}
	return nil
}
