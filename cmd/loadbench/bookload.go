package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"
)

// bookLoad is the result of one timed run of the booking clients.
type bookLoad struct {
	Booked, Refused, Failed int
	Elapsed                 time.Duration
	// FirstError is one failure's message, to say what went wrong.
	FirstError string
}

// PerSecond is the rate of successful bookings.
func (l bookLoad) PerSecond() float64 {
	if l.Elapsed <= 0 {
		return 0
	}
	return float64(l.Booked) / l.Elapsed.Seconds()
}

// eventPool is the contact steps the clients pick from; an event that
// fills up leaves it.
type eventPool struct {
	mu   sync.Mutex
	urls []string
}

func (p *eventPool) pick() (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.urls) == 0 {
		return "", false
	}
	return p.urls[rand.IntN(len(p.urls))], true
}

func (p *eventPool) remove(u string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, x := range p.urls {
		if x == u {
			p.urls[i] = p.urls[len(p.urls)-1]
			p.urls = p.urls[:len(p.urls)-1]
			return
		}
	}
}

// errPoolEmpty stops a run whose events are all full.
var errPoolEmpty = errors.New("every event of the pool is full: give the server more events (-events)")

// runBookings runs clients concurrent visitors for d, each booking one
// seat in a random event of the pool again and again, and counts the
// outcomes. Only a booking that ended on its confirmation counts as
// booked.
func runBookings(ctx context.Context, c *bookClient, pool *eventPool, clients int, d time.Duration) (bookLoad, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var res bookLoad
	var empty bool
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for ctx.Err() == nil {
				u, ok := pool.pick()
				if !ok {
					mu.Lock()
					empty = true
					mu.Unlock()
					cancel()
					return
				}
				out, _, err := c.book(ctx, u, randomIP())
				if ctx.Err() != nil {
					return // cut off by the end of the run: not counted
				}
				mu.Lock()
				switch out {
				case booked:
					res.Booked++
				case refused:
					res.Refused++
				default:
					res.Failed++
					if res.FirstError == "" && err != nil {
						res.FirstError = err.Error()
					}
				}
				mu.Unlock()
				if out == refused {
					pool.remove(u)
				}
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	if empty {
		return res, errPoolEmpty
	}
	return res, nil
}
