package main

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

// calibrationBookings is how many bookings the statement count averages.
const calibrationBookings = 20

// statementCounts are the SQL statements one booking costs, per request.
type statementCounts struct {
	Contact, Book float64
}

// countStatements starts a second server ("serve", its SMS worker off) on
// the PostgreSQL database the load used, reaching it through a counting
// proxy, makes a few bookings one at a time, and returns the mean number
// of statements each request sent.
func (b *runner) countStatements(ctx context.Context) (statementCounts, error) {
	dbURL, err := url.Parse(b.pg.urlOf(b.cfg.BenchDB))
	if err != nil {
		return statementCounts{}, err
	}
	proxy, err := startStmtProxy(dbURL.Host)
	if err != nil {
		return statementCounts{}, err
	}
	defer proxy.close()
	dbURL.Host = proxy.addr()
	addr, err := freeAddr()
	if err != nil {
		return statementCounts{}, err
	}
	env := []string{"GROUPBOOK_TRUSTED_PROXIES=127.0.0.1", "GROUPBOOK_SMS_WORKER=false", "GROUPBOOK_SECRET="}
	srv, err := startProcess("groupbook-count", b.dir, b.bin, env, "serve", "-addr", addr, "-database-url", dbURL.String(), "-log-level", "warn")
	if err != nil {
		return statementCounts{}, err
	}
	defer srv.stop()
	base := "http://" + addr
	if err := srv.waitHTTP(ctx, base+"/readyz", time.Minute); err != nil {
		return statementCounts{}, err
	}
	c := newBookClient(base, "demo", 1)
	// Fresh events, beyond the ones the load used.
	events, err := c.eventURLs(ctx, b.cfg.BookEvents+calibrationBookings)
	if err != nil {
		return statementCounts{}, err
	}
	urls, err := c.contactURLsOf(ctx, events[max(0, len(events)-calibrationBookings):], 4)
	if err != nil {
		return statementCounts{}, err
	}
	var contact, book int64
	n := 0
	for _, u := range urls {
		ip := randomIP()
		start := proxy.count.Load()
		f, _, err := c.openContact(ctx, u, ip)
		if f == nil {
			continue // full by now
		}
		if err != nil {
			return statementCounts{}, err
		}
		mid := proxy.count.Load()
		out, _, err := c.submit(ctx, f, ip)
		if out != booked {
			continue
		}
		if err != nil {
			return statementCounts{}, err
		}
		contact, book, n = contact+mid-start, book+proxy.count.Load()-mid, n+1
	}
	if n == 0 {
		return statementCounts{}, fmt.Errorf("no booking succeeded while counting statements")
	}
	return statementCounts{Contact: float64(contact) / float64(n), Book: float64(book) / float64(n)}, srv.stop()
}
