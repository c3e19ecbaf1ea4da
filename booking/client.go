package booking

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// ClientInput is who is booking: a phone already normalised to E.164 (see
// NormalizePhone), names and email.
type ClientInput struct {
	Phone     string
	FirstName string
	LastName  string
	Email     string
}

func (in *ClientInput) normalize() {
	in.Phone = strings.TrimSpace(in.Phone)
	in.FirstName = strings.TrimSpace(in.FirstName)
	in.LastName = strings.TrimSpace(in.LastName)
	in.Email = strings.TrimSpace(in.Email)
}

func (in *ClientInput) check(c *checker, region string) {
	if in.Phone == "" {
		c.add("phone", MsgRequired)
	} else if e164, err := NormalizePhone(in.Phone, region); err != nil || e164 != in.Phone {
		// The core only accepts phones the edge already normalised, so a
		// second spelling of one number can never make a second client.
		c.add("phone", MsgInvalidPhone)
	}
	c.text("first_name", in.FirstName, true, MaxNameLen)
	c.text("last_name", in.LastName, false, MaxNameLen)
	c.email("email", in.Email, false)
}

// upsertClient finds the location's client by phone or creates it. Names and
// email already on file are kept (staff may have corrected them); empty ones
// are filled in.
func upsertClient(ctx context.Context, tx bun.Tx, locationID int64, in ClientInput, now time.Time) (*Client, error) {
	cl := &Client{LocationID: locationID, Phone: in.Phone, FirstName: in.FirstName, LastName: in.LastName, Email: in.Email, CreatedAt: now}
	err := tx.NewInsert().Model(cl).
		On("CONFLICT (location_id, phone) DO UPDATE").
		Set("first_name = CASE WHEN ?TableAlias.first_name = '' THEN EXCLUDED.first_name ELSE ?TableAlias.first_name END").
		Set("last_name = CASE WHEN ?TableAlias.last_name = '' THEN EXCLUDED.last_name ELSE ?TableAlias.last_name END").
		Set("email = CASE WHEN ?TableAlias.email = '' THEN EXCLUDED.email ELSE ?TableAlias.email END").
		Returning("*").
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("upsert client: %w", err)
	}
	return cl, nil
}

// Client loads one client.
func (s *Store) Client(ctx context.Context, id int64) (*Client, error) {
	cl := new(Client)
	if err := s.db.NewSelect().Model(cl).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "client", id)
	}
	return cl, nil
}

// ClientByPhone finds a location's client by E.164 phone.
func (s *Store) ClientByPhone(ctx context.Context, locationID int64, phone string) (*Client, error) {
	cl := new(Client)
	if err := s.db.NewSelect().Model(cl).Where("location_id = ? AND phone = ?", locationID, phone).Scan(ctx); err != nil {
		return nil, notFound(err, "client with phone", phone)
	}
	return cl, nil
}

// EnsureClient finds the location's client by phone or creates it, as a
// booking would (names and email already on file are kept), so staff can
// sell a pass to someone who has not booked yet. The phone must already be
// normalised to E.164 (NormalizePhone).
func (s *Store) EnsureClient(ctx context.Context, locationID int64, in ClientInput) (*Client, error) {
	loc, err := s.Location(ctx, locationID)
	if err != nil {
		return nil, err
	}
	in.normalize()
	c := newChecker()
	in.check(c, loc.Country)
	if err := c.err(); err != nil {
		return nil, err
	}
	var cl *Client
	err = s.inQuietTx(ctx, func(tx bun.Tx) error {
		cl, err = upsertClient(ctx, tx, locationID, in, s.now())
		return err
	})
	return cl, err
}
