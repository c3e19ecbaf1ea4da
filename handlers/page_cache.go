package handlers

import (
	"bytes"
	"container/list"
	"net/http"
	"sync"
	"time"
)

// pageCache holds whole widget responses (list and event pages and their
// htmx fragments), gzip-compressed when worth it, each valid while the store's
// data version is the one read before it was rendered and until its
// expiry (the first moment anything on it changes with the clock). Its
// size is bounded by a byte budget, least recently used first out, so
// query strings made up by crawlers cannot grow it.
type pageCache struct {
	budget, maxEntry int

	mu      sync.Mutex
	used    int
	entries map[string]*list.Element // of *pageEntry
	lru     list.List                // front: most recently used
}

// pageEntry is one cached response: status 200, the headers the handler
// set, and the body. A body worth compressing is kept only compressed,
// in a slice of exactly its size: the cache is the server's largest live
// memory, and a rendering buffer's spare capacity or a plain copy beside
// the gzip one made it hold several times what it counted, which the
// garbage collector then paid for under the memory limit. Every browser
// takes gzip; the rare client that does not gets it inflated per request.
type pageEntry struct {
	key    string
	gen    uint64
	until  time.Time
	header http.Header // set by the handler (Content-Type, CSP, Vary, ...)
	drop   []string    // removed by the handler (X-Frame-Options)
	body   []byte
	gz     bool // body is gzip-compressed
}

// newPageEntry keeps a copy of plain, compressed when worth it.
func newPageEntry(key string, gen uint64, until time.Time, plain []byte) *pageEntry {
	e := &pageEntry{key: key, gen: gen, until: until}
	if len(plain) >= gzipMinSize {
		e.body, e.gz = bytes.Clone(gzipBytes(plain)), true
	} else {
		e.body = bytes.Clone(plain)
	}
	return e
}

// plain is the body uncompressed.
func (e *pageEntry) plain() ([]byte, error) {
	if !e.gz {
		return e.body, nil
	}
	return gunzipBytes(e.body)
}

func (e *pageEntry) size() int {
	n := len(e.key) + cap(e.body) + 256
	for k, vs := range e.header {
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	return n
}

// Defaults: 12 MB in all (RSS must stay under 80 MB), no page over 256 KB.
const (
	pageCacheBudget   = 12 << 20
	pageCacheMaxEntry = 256 << 10
	// pageCacheMaxAge bounds any entry's life: the list's "now"-based rules
	// (booking windows, day headings) are rechecked at least this often.
	pageCacheMaxAge = 60 * time.Second
)

func newPageCache(budget, maxEntry int) *pageCache {
	return &pageCache{budget: budget, maxEntry: maxEntry, entries: map[string]*list.Element{}}
}

// get returns the entry of key if it is of version gen and not expired at now.
func (pc *pageCache) get(key string, gen uint64, now time.Time) *pageEntry {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	el, ok := pc.entries[key]
	if !ok {
		return nil
	}
	e := el.Value.(*pageEntry)
	if e.gen != gen || !now.Before(e.until) {
		pc.remove(el)
		return nil
	}
	pc.lru.MoveToFront(el)
	return e
}

// put stores e, evicting the least recently used entries to stay within
// the budget; an entry over the size limit is not stored.
func (pc *pageCache) put(e *pageEntry) {
	n := e.size()
	if n > pc.maxEntry || n > pc.budget {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if el, ok := pc.entries[e.key]; ok {
		old := el.Value.(*pageEntry)
		if old.gen > e.gen {
			return // a newer version is already there
		}
		pc.remove(el)
	}
	for pc.used+n > pc.budget {
		pc.remove(pc.lru.Back())
	}
	pc.entries[e.key] = pc.lru.PushFront(e)
	pc.used += n
}

func (pc *pageCache) remove(el *list.Element) {
	e := el.Value.(*pageEntry)
	pc.lru.Remove(el)
	delete(pc.entries, e.key)
	pc.used -= e.size()
}

// stats reports the entry count and bytes held (for tests).
func (pc *pageCache) stats() (entries, bytes int) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return len(pc.entries), pc.used
}
