package booking

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// ClientPass is a pass sold or granted to one client of a location. Its
// terms are copied from the type at sale; its balance and validity come
// from its ledger (PassEntry), never from a number edited in place.
type ClientPass struct {
	bun.BaseModel `bun:"table:client_passes,alias:cp"`

	ID           int64  `bun:"id,pk,autoincrement"`
	LocationID   int64  `bun:"location_id"`
	ClientID     int64  `bun:"client_id"`
	PassTypeID   int64  `bun:"pass_type_id"`
	Name         string `bun:"name"`
	Kind         string `bun:"kind"`
	Visits       int    `bun:"visits"` // as sold; Balance is what is left
	ValidityDays int    `bun:"validity_days"`
	ValidFrom    string `bun:"valid_from"`
	// StartsOn is the first local date it is valid on (DateLayout); empty
	// until the first visit when ValidFrom is ValidFromFirstUse.
	StartsOn string `bun:"starts_on,nullzero"`
	// FrozenOn is the local date it was frozen on; empty when not frozen.
	FrozenOn  string     `bun:"frozen_on,nullzero"`
	VoidedAt  *time.Time `bun:"voided_at"`
	CreatedAt time.Time  `bun:"created_at"`

	// From the ledger and the covered services, filled by the loaders.

	// Balance is the sum of the ledger's visits: visits left (0 for an
	// unlimited pass, which counts none).
	Balance int `bun:"-"`
	// ExtraDays is the sum of the ledger's days: extensions and freezes.
	ExtraDays int `bun:"-"`
	// ValidUntil is the last local date it is valid on; empty while it
	// has not started.
	ValidUntil string      `bun:"-"`
	ServiceIDs []int64     `bun:"-"`
	Entries    []PassEntry `bun:"-"`
}

// Unlimited tells whether the pass counts no visits.
func (p *ClientPass) Unlimited() bool { return p.Kind == PassUnlimited }

// Voided tells whether the pass was voided.
func (p *ClientPass) Voided() bool { return p.VoidedAt != nil }

// Frozen tells whether the pass is paused.
func (p *ClientPass) Frozen() bool { return p.FrozenOn != "" }

// Covers tells whether the pass pays for the service.
func (p *ClientPass) Covers(serviceID int64) bool {
	for _, id := range p.ServiceIDs {
		if id == serviceID {
			return true
		}
	}
	return false
}

// Expired tells whether the pass's validity ended before the local date
// today (DateLayout).
func (p *ClientPass) Expired(today string) bool { return p.ValidUntil != "" && p.ValidUntil < today }

// Active tells whether the pass can still pay for something on or after
// today: not voided, frozen or expired, and with visits left (or unlimited).
func (p *ClientPass) Active(today string) bool {
	return !p.Voided() && !p.Frozen() && !p.Expired(today) && (p.Unlimited() || p.Balance > 0)
}

// fillValidity computes ValidUntil from the start, the validity and the
// ledger's extra days.
func (p *ClientPass) fillValidity() {
	p.ValidUntil = ""
	if p.StartsOn == "" {
		return
	}
	if d, err := time.Parse(DateLayout, p.StartsOn); err == nil {
		p.ValidUntil = d.AddDate(0, 0, p.ValidityDays-1+p.ExtraDays).Format(DateLayout)
	}
}

// Kinds of pass ledger entries.
const (
	EntrySale       = "sale"
	EntryGrant      = "grant"
	EntryVisit      = "visit"
	EntryReturn     = "return"
	EntryCorrection = "correction"
	EntryExtension  = "extension"
	EntryFreeze     = "freeze"
	EntryUnfreeze   = "unfreeze"
	EntryVoid       = "void"
)

// PassEntry is one row of a pass's ledger. Visits and Days are deltas: the
// balance is the sum of Visits, the validity is extended by the sum of Days.
type PassEntry struct {
	bun.BaseModel `bun:"table:pass_entries,alias:pe"`

	ID          int64     `bun:"id,pk,autoincrement"`
	PassID      int64     `bun:"pass_id"`
	LocationID  int64     `bun:"location_id"`
	Kind        string    `bun:"kind"`
	Visits      int       `bun:"visits"`
	Days        int       `bun:"days"`
	AmountMinor int64     `bun:"amount_minor"`
	Currency    string    `bun:"currency"`
	Method      string    `bun:"method"`
	BookingID   int64     `bun:"booking_id,nullzero"`
	StaffUserID int64     `bun:"staff_user_id,nullzero"`
	Reason      string    `bun:"reason"`
	CreatedAt   time.Time `bun:"created_at"`
}

type clientPassService struct {
	bun.BaseModel `bun:"table:client_pass_services"`

	PassID    int64 `bun:"pass_id,pk"`
	ServiceID int64 `bun:"service_id,pk"`
}

// SellPassInput sells (or, Free, grants) a pass of a type to a client.
type SellPassInput struct {
	LocationID int64
	ClientID   int64
	PassTypeID int64
	// Start is the local date (DateLayout) a pass valid from sale starts
	// on; empty: today. Ignored for a pass valid from first use.
	Start string
	// Free grants the pass: no payment is recorded.
	Free bool
	// Method (MethodCash, MethodCard, MethodOther) and AmountMinor are what
	// the desk took, in the type's currency.
	Method      string
	AmountMinor int64
	// StaffUserID is who sold it (0: unknown).
	StaffUserID int64
}

// maxStartShiftDays bounds how far from today a sale may date its start.
const maxStartShiftDays = 366

// SellPass sells or grants a pass: the client pass and its first ledger row
// (sale or grant, with the visits and what was paid).
func (s *Store) SellPass(ctx context.Context, in SellPassInput) (*ClientPass, error) {
	loc, err := s.Location(ctx, in.LocationID)
	if err != nil {
		return nil, err
	}
	if _, err := s.clientOf(ctx, in.LocationID, in.ClientID); err != nil {
		return nil, err
	}
	today := localToday(s.now(), loc)
	c := newChecker()
	pt, err := s.PassType(ctx, in.LocationID, in.PassTypeID)
	if err != nil || pt.Archived {
		c.add("pass_type", MsgUnknownPassType)
	}
	in.Start = strings.TrimSpace(in.Start)
	if in.Start == "" {
		in.Start = today
	}
	if d, err := time.Parse(DateLayout, in.Start); err != nil {
		c.add("start", MsgInvalidDate)
	} else if t, _ := time.Parse(DateLayout, today); d.Sub(t).Abs() > maxStartShiftDays*24*time.Hour {
		c.add("start", MsgOutOfRange)
	}
	if !in.Free {
		c.deskPayment(in.Method, in.AmountMinor)
	}
	if err := c.err(); err != nil {
		return nil, err
	}

	now := s.now()
	cp := &ClientPass{
		LocationID: in.LocationID, ClientID: in.ClientID, PassTypeID: pt.ID, Name: pt.Name,
		Kind: pt.Kind, Visits: pt.Visits, ValidityDays: pt.ValidityDays, ValidFrom: pt.ValidFrom,
		CreatedAt: now, ServiceIDs: pt.ServiceIDs,
	}
	if pt.ValidFrom == ValidFromSale {
		cp.StartsOn = in.Start
	}
	e := PassEntry{LocationID: in.LocationID, Kind: EntrySale, Visits: pt.Visits, Currency: pt.Currency,
		Method: in.Method, AmountMinor: in.AmountMinor, StaffUserID: in.StaffUserID, CreatedAt: now}
	if in.Free {
		e.Kind, e.Method, e.AmountMinor = EntryGrant, "", 0
	}
	err = s.inQuietTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(cp).Exec(ctx); err != nil {
			return fmt.Errorf("sell pass: %w", err)
		}
		rows := make([]clientPassService, len(pt.ServiceIDs))
		for i, id := range pt.ServiceIDs {
			rows[i] = clientPassService{PassID: cp.ID, ServiceID: id}
		}
		if len(rows) > 0 {
			if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
				return fmt.Errorf("pass services: %w", err)
			}
		}
		e.PassID = cp.ID
		if _, err := tx.NewInsert().Model(&e).Exec(ctx); err != nil {
			return fmt.Errorf("pass sale entry: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	cp.Balance, cp.Entries = e.Visits, []PassEntry{e}
	cp.fillValidity()
	return cp, nil
}

// clientOf loads a client of the location; another location's is
// ErrNotFound.
func (s *Store) clientOf(ctx context.Context, locationID, clientID int64) (*Client, error) {
	cl := new(Client)
	if err := s.db.NewSelect().Model(cl).Where("id = ? AND location_id = ?", clientID, locationID).Scan(ctx); err != nil {
		return nil, notFound(err, "client", clientID)
	}
	return cl, nil
}

// localToday is the location's local date now.
func localToday(now time.Time, loc *Location) string {
	return now.In(loc.Zone()).Format(DateLayout)
}

// PassRef names one pass of one client of one location. Every pass method
// takes all three, since ids come from forms: a pass id of another client
// or location is ErrNotFound.
type PassRef struct {
	LocationID int64
	ClientID   int64
	PassID     int64
}

// ClientPasses lists a client's passes at a location, newest first, each
// with its balance, validity, services and ledger.
func (s *Store) ClientPasses(ctx context.Context, locationID, clientID int64) ([]ClientPass, error) {
	var out []ClientPass
	if err := s.db.NewSelect().Model(&out).Where("location_id = ? AND client_id = ?", locationID, clientID).
		Order("id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("client %d passes: %w", clientID, err)
	}
	if err := loadPassDetails(ctx, s.db, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ClientPass loads one pass of a client at a location with its balance,
// validity, services and ledger.
func (s *Store) ClientPass(ctx context.Context, ref PassRef) (*ClientPass, error) {
	cp := new(ClientPass)
	if err := s.db.NewSelect().Model(cp).Where("id = ? AND location_id = ? AND client_id = ?", ref.PassID, ref.LocationID, ref.ClientID).
		Scan(ctx); err != nil {
		return nil, notFound(err, "pass", ref.PassID)
	}
	list := []ClientPass{*cp}
	if err := loadPassDetails(ctx, s.db, list); err != nil {
		return nil, err
	}
	return &list[0], nil
}

// loadPassDetails fills the ledger, the sums and the services of passes.
func loadPassDetails(ctx context.Context, db bun.IDB, list []ClientPass) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	var entries []PassEntry
	if err := db.NewSelect().Model(&entries).Where("pass_id IN (?)", bun.List(ids)).Order("id").Scan(ctx); err != nil {
		return fmt.Errorf("pass entries: %w", err)
	}
	var svcs []clientPassService
	if err := db.NewSelect().Model(&svcs).Where("pass_id IN (?)", bun.List(ids)).Order("pass_id", "service_id").Scan(ctx); err != nil {
		return fmt.Errorf("pass services: %w", err)
	}
	byID := make(map[int64]*ClientPass, len(list))
	for i := range list {
		p := &list[i]
		p.Balance, p.ExtraDays, p.Entries, p.ServiceIDs = 0, 0, nil, nil
		byID[p.ID] = p
	}
	for _, e := range entries {
		p := byID[e.PassID]
		p.Entries = append(p.Entries, e)
		p.Balance += e.Visits
		p.ExtraDays += e.Days
	}
	for _, r := range svcs {
		p := byID[r.PassID]
		p.ServiceIDs = append(p.ServiceIDs, r.ServiceID)
	}
	for i := range list {
		list[i].fillValidity()
	}
	return nil
}
