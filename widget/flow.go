package widget

import (
	"context"
	"fmt"
	"time"

	"groupbook/booking"
)

// Flow is the public booking flow over the booking core.
type Flow struct {
	Store  *booking.Store
	Signer *Signer
	// PageSize is how many events one page of the list shows.
	PageSize int
	// SelectionTTL bounds how long a contact form stays valid.
	SelectionTTL time.Duration
	// CodeLimits bound confirmation code sends (nil: DefaultCodeLimits).
	CodeLimits *CodeLimits

	opened openCache
}

// NewFlow returns a flow with the product's defaults.
func NewFlow(store *booking.Store, signer *Signer) *Flow {
	return &Flow{Store: store, Signer: signer, PageSize: 20, SelectionTTL: 2 * time.Hour}
}

// Catalog is what the widget pages need to name things: the location, and
// its services and team members by id.
type Catalog struct {
	Location *booking.Location
	Zone     *time.Location
	Services map[int64]booking.Service
	Members  map[int64]booking.TeamMember
}

// Service returns the named service (zero value if unknown).
func (c *Catalog) Service(id int64) booking.Service { return c.Services[id] }

// Member returns the named team member (zero value if unknown).
func (c *Catalog) Member(id int64) booking.TeamMember { return c.Members[id] }

// Local returns t in the location's zone.
func (c *Catalog) Local(t time.Time) time.Time { return t.In(c.Zone) }

// Open loads an enabled link by slug with its catalog. A disabled link is
// reported as not found: the public must not learn it exists.
//
// Both come from memory while the store's data version is unchanged (the
// version is read before loading, so a write during the load leaves the
// entry stale at once). They are shared: callers must not modify them.
func (f *Flow) Open(ctx context.Context, slug string) (*booking.Link, *Catalog, error) {
	gen, cacheable := f.Store.CatalogGeneration()
	if cacheable {
		if link, cat, ok := f.opened.get(slug, gen); ok {
			return link, cat, nil
		}
	}
	link, cat, err := f.open(ctx, slug)
	if err == nil && cacheable {
		f.opened.put(slug, gen, link, cat)
	}
	return link, cat, err
}

func (f *Flow) open(ctx context.Context, slug string) (*booking.Link, *Catalog, error) {
	link, err := f.Store.LinkBySlug(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	if !link.Enabled {
		return nil, nil, fmt.Errorf("link %q: %w", slug, booking.ErrNotFound)
	}
	cat, err := f.catalog(ctx, link.LocationID)
	if err != nil {
		return nil, nil, err
	}
	return link, cat, nil
}

func (f *Flow) catalog(ctx context.Context, locationID int64) (*Catalog, error) {
	loc, err := f.Store.Location(ctx, locationID)
	if err != nil {
		return nil, err
	}
	svcs, err := f.Store.Services(ctx, locationID, true)
	if err != nil {
		return nil, err
	}
	members, err := f.Store.TeamMembers(ctx, locationID, true)
	if err != nil {
		return nil, err
	}
	runs, err := f.Store.MemberServices(ctx, locationID)
	if err != nil {
		return nil, err
	}
	c := &Catalog{Location: loc, Zone: loc.Zone(), Services: map[int64]booking.Service{}, Members: map[int64]booking.TeamMember{}}
	for _, s := range svcs {
		c.Services[s.ID] = s
	}
	for _, m := range members {
		m.ServiceIDs = runs[m.ID]
		c.Members[m.ID] = m
	}
	return c, nil
}
