package main

import (
	"context"
	"fmt"
	"time"
)

// bookings alternates the booking load on the server at base with
// pgbench on a scratch database, round by round.
func (b *runner) bookings(ctx context.Context, base string, serverPID, n int) error {
	progress("postgres, %d events: preparing pgbench (scale %d) and the booking visitors", n, b.cfg.PgbenchScale)
	scratch := b.cfg.BenchDB + "_pgbench"
	pb, err := preparePgbench(ctx, b.pg, scratch, b.cfg.PgbenchScale, b.cfg.Clients, b.dir)
	if err != nil {
		return err
	}
	defer b.pg.drop(context.WithoutCancel(ctx), scratch) //nolint:errcheck // a leftover scratch database is harmless
	c := newBookClient(base, "demo", b.cfg.Clients)
	urls, err := c.contactURLs(ctx, b.cfg.BookEvents, b.cfg.Clients)
	if err != nil {
		return fmt.Errorf("booking visitors: %w", err)
	}
	pool := &eventPool{urls: urls}
	res := &bookingResult{Events: len(urls)}
	before, statsErr := b.pg.stats(ctx, b.cfg.BenchDB)
	for round := 1; round <= b.cfg.Rounds; round++ {
		progress("postgres: pgbench, round %d of %d", round, b.cfg.Rounds)
		tps, err := pb.run(ctx, b.cfg.Duration)
		if err != nil {
			return err
		}
		progress("postgres: bookings, round %d of %d", round, b.cfg.Rounds)
		cpu0, cpuErr := readCPU(serverPID)
		l, err := runBookings(ctx, c, pool, b.cfg.Clients, b.cfg.Duration)
		if err != nil {
			return err
		}
		if cpu1, err := readCPU(serverPID); err == nil && cpuErr == nil {
			res.CPU, res.HasCPU = res.CPU.plus(cpu1.since(cpu0)), true
		}
		res.TPS, res.Rates = append(res.TPS, tps), append(res.Rates, l.PerSecond())
		res.Booked, res.Refused, res.Failed = res.Booked+l.Booked, res.Refused+l.Refused, res.Failed+l.Failed
		if res.FirstErr == "" {
			res.FirstErr = l.FirstError
		}
	}
	if statsErr == nil && res.Booked > 0 {
		// Backends report their counters when idle, at most once a second.
		time.Sleep(2 * time.Second)
		after, err := b.pg.stats(ctx, b.cfg.BenchDB)
		if err == nil {
			res.Stats, res.HasStats = after.minus(before), true
		}
	}
	progress("postgres: counting the statements of a booking")
	if sc, err := b.countStatements(ctx); err != nil {
		b.rep.Notes = append(b.rep.Notes, "Statement count failed: "+err.Error())
	} else {
		res.Statements = &sc
	}
	b.rep.Bookings = res
	return nil
}
