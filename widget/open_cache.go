package widget

import (
	"sync"

	"groupbook/booking"
)

// openCache keeps each link with its catalog, by slug, for as long as the
// store's data version is unchanged: a widget request then costs no query
// to learn what it shows. Entries are shared between requests and must be
// treated as read-only.
type openCache struct {
	mu      sync.RWMutex
	entries map[string]openEntry
}

type openEntry struct {
	gen  uint64
	link *booking.Link
	cat  *Catalog
}

// maxOpenEntries bounds the cache: slugs come from URLs anyone can type,
// and unknown ones are never stored, but a studio may have many links.
const maxOpenEntries = 1024

func (c *openCache) get(slug string, gen uint64) (*booking.Link, *Catalog, bool) {
	c.mu.RLock()
	e, ok := c.entries[slug]
	c.mu.RUnlock()
	if !ok || e.gen != gen {
		return nil, nil, false
	}
	return e.link, e.cat, true
}

func (c *openCache) put(slug string, gen uint64, link *booking.Link, cat *Catalog) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxOpenEntries {
		// Stale entries pile up only until the next version; start over
		// rather than track ages.
		c.entries = map[string]openEntry{}
	}
	c.entries[slug] = openEntry{gen: gen, link: link, cat: cat}
}
