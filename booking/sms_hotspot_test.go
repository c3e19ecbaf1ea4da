package booking_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// holdHook stops the first statement that contains every one of match,
// once it has run, until release is closed: the transaction that sent it
// stays open, holding every lock it took.
type holdHook struct {
	match   []string
	once    sync.Once
	reached chan struct{}
	release chan struct{}
}

func (h *holdHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (h *holdHook) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	for _, m := range h.match {
		if !strings.Contains(ev.Query, m) {
			return
		}
	}
	h.once.Do(func() {
		close(h.reached)
		<-h.release
	})
}

// TestSMSLimitsLocationNotSerialised: with SMS on, one widget booking of a
// location held open after queueing its messages (so holding whatever
// locks the SMS limits take) does not stop the location's other widget
// bookings: they all commit meanwhile. The link and location limits,
// which every client shares, take no lock; the per-phone limit, which
// does, stays exact among concurrent bookings of one phone.
func TestSMSLimitsLocationNotSerialised(t *testing.T) {
	db := booktest.Open(t, booktest.Postgres)
	f := booktest.Seed(t, db)
	ctx := context.Background()
	enableSMS(t, f, 24)
	limits := loose()
	limits.PhoneHour = 5
	f.Store.SMSLimits = &limits

	const others, samePhone = 16, 8
	evs := f.YogaEvents(t, 1+others+samePhone, 10)
	held := booktest.Client(900)
	hook := &holdHook{
		match:   []string{`INSERT INTO "outbox"`, held.Phone},
		reached: make(chan struct{}), release: make(chan struct{}),
	}
	db.AddQueryHook(hook)

	heldDone := make(chan error, 1)
	go func() {
		r := booking.ReserveRequest{
			LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{evs[0].ID}, Seats: 1,
			Client: held, Lang: "en", ClientIP: "192.0.2.1", Key: "held",
		}
		_, err := f.Store.Reserve(ctx, r)
		heldDone <- err
	}()
	select {
	case <-hook.reached:
	case err := <-heldDone:
		t.Fatalf("the held booking ended before its messages: %v", err)
	}

	// The others run while the held transaction is open. Were they to
	// wait for it, each would end in PostgreSQL's statement timeout.
	sameClient := booktest.Client(901)
	var wg sync.WaitGroup
	for i := range others + samePhone {
		wg.Go(func() {
			client := booktest.Client(1000 + i)
			if i >= others {
				client = sameClient
			}
			r := booking.ReserveRequest{
				LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{evs[1+i].ID}, Seats: 1,
				Client: client, Lang: "en", ClientIP: fmt.Sprintf("198.51.100.%d", i+1), Key: fmt.Sprintf("other-%d", i),
			}
			if _, err := f.Store.Reserve(ctx, r); err != nil {
				t.Errorf("booking %d while another of the location is open: %v", i, err)
			}
		})
	}
	wg.Wait()
	select {
	case err := <-heldDone:
		t.Fatalf("the held booking ended while held: %v", err)
	default:
	}
	close(hook.release)
	if err := <-heldDone; err != nil {
		t.Fatalf("held booking: %v", err)
	}

	queued := map[string]int{}
	total := 0
	for _, m := range outbox(t, db) {
		total++
		if m.Status == booking.OutboxPending {
			queued[m.Phone]++
		}
	}
	if want := 2 * (1 + others + samePhone); total != want {
		t.Errorf("%d messages written, want %d", total, want)
	}
	if queued[sameClient.Phone] != limits.PhoneHour {
		t.Errorf("%d messages queued to one phone by %d concurrent bookings, the limit is %d", queued[sameClient.Phone], samePhone, limits.PhoneHour)
	}
	if queued[held.Phone] != 2 {
		t.Errorf("the held booking queued %d messages, want 2", queued[held.Phone])
	}
	if bad := booktest.Invariant(t, db); len(bad) > 0 {
		t.Errorf("invariant: %v", bad)
	}
}
