package booking_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// smsLimitsScenario is one concurrent book-and-cancel attack and the limit
// that must stop it.
type smsLimitsScenario struct {
	name   string
	limits booking.SMSLimits
	// phone and ip pick worker w's phone and address.
	phone func(w int) string
	ip    func(w int) string
	// twoLinks sends odd workers through a second link of the location.
	twoLinks bool
	// reason is what the suppressed messages must say; limit how many
	// messages of the scope may be queued.
	reason string
	limit  int
	// brake: a link or location limit, counted without a lock on
	// PostgreSQL so a location's bookings do not wait for each other
	// (see smsRule). Concurrent transactions may pass it by what they
	// queue themselves, at most two messages each (a booking's "booked"
	// message and reminder).
	brake bool
}

// loose limits nothing the scenario does not test.
func loose() booking.SMSLimits {
	return booking.SMSLimits{
		PhoneHour: 1000, PhoneDay: 1000, AddressHour: 1000, AddressDay: 1000,
		LinkHour: 1000, LinkDay: 1000, LocationHour: 1000, LocationDay: 1000,
	}
}

func with(l booking.SMSLimits, set func(*booking.SMSLimits)) booking.SMSLimits {
	set(&l)
	return l
}

var smsScenarios = []smsLimitsScenario{
	{
		name: "phone", limits: with(loose(), func(l *booking.SMSLimits) { l.PhoneHour = 7 }),
		phone: func(int) string { return booktest.Client(42).Phone }, ip: func(w int) string { return fmt.Sprintf("198.51.100.%d", w) },
		reason: "limit:phone:hour", limit: 7,
	},
	{
		// One address, many phones: the attack of issue 8.
		name: "address", limits: with(loose(), func(l *booking.SMSLimits) { l.AddressHour = 9 }),
		phone: func(w int) string { return booktest.Client(100 + w).Phone }, ip: func(int) string { return "203.0.113.7" },
		reason: "limit:address:hour", limit: 9,
	},
	{
		// IPv6 clients rotating through their /64 count as one address.
		name: "address-ipv6", limits: with(loose(), func(l *booking.SMSLimits) { l.AddressHour = 5 }),
		phone:  func(w int) string { return booktest.Client(200 + w).Phone },
		ip:     func(w int) string { return fmt.Sprintf("2001:db8:1:2::%x", w+1) },
		reason: "limit:address:hour", limit: 5,
	},
	{
		name: "link", limits: with(loose(), func(l *booking.SMSLimits) { l.LinkHour = 8 }),
		phone: func(w int) string { return booktest.Client(300 + w).Phone }, ip: func(w int) string { return fmt.Sprintf("198.51.100.%d", w) },
		reason: "limit:link:hour", limit: 8, brake: true,
	},
	{
		// Two links of one location share its limit.
		name: "location", limits: with(loose(), func(l *booking.SMSLimits) { l.LocationHour = 10 }),
		phone: func(w int) string { return booktest.Client(400 + w).Phone }, ip: func(w int) string { return fmt.Sprintf("198.51.100.%d", w) },
		twoLinks: true, reason: "limit:location:hour", limit: 10, brake: true,
	},
}

const (
	smsWorkers = 12
	smsRounds  = 3
)

// runSMSAttack fires smsWorkers goroutines at once, each booking its own
// event through a link and cancelling it, smsRounds times: three messages
// per round (booked, reminder, cancelled). Every booking and cancellation
// must succeed: the limits hold messages back, never clients.
func runSMSAttack(t *testing.T, f *booktest.Fixture, sc smsLimitsScenario) {
	t.Helper()
	ctx := context.Background()
	enableSMS(t, f, 24)
	links := []*booking.Link{f.Link}
	if sc.twoLinks {
		second := *f.Link
		second.ID, second.Slug = 0, "sunrise-instagram"
		if err := f.Store.SaveLink(ctx, &second); err != nil {
			t.Fatal(err)
		}
		links = append(links, &second)
	}
	evs := f.YogaEvents(t, smsWorkers, 10)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range smsWorkers {
		wg.Go(func() {
			<-start
			for round := range smsRounds {
				r := booking.ReserveRequest{
					LocationID: f.Location.ID, Link: links[w%len(links)], EventIDs: []int64{evs[w].ID}, Seats: 1,
					Client: booking.ClientInput{Phone: sc.phone(w), FirstName: "Pump"}, VisitorName: fmt.Sprintf("v%d", w),
					Lang: "en", ClientIP: sc.ip(w), Key: fmt.Sprintf("%s-%d-%d", sc.name, w, round),
				}
				res, err := f.Store.Reserve(ctx, r)
				if err != nil {
					t.Errorf("worker %d round %d: book: %v", w, round, err)
					return
				}
				if _, err := f.Store.CancelByClient(ctx, res.Group.Token, res.Bookings[0].ID, sc.ip(w)); err != nil {
					t.Errorf("worker %d round %d: cancel: %v", w, round, err)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
}

// TestSMSLimitsUnderConcurrency: many clients booking and cancelling at
// once through the widget never get more messages queued than the limit
// of the scope they share (phone, address, link, location); the rest are
// kept as suppressed with the limit named, and every booking succeeds.
func TestSMSLimitsUnderConcurrency(t *testing.T) {
	for _, sc := range smsScenarios {
		t.Run(sc.name, func(t *testing.T) {
			booktest.Each(t, func(t *testing.T, db *bun.DB) {
				f := booktest.Seed(t, db)
				f.Store.SMSLimits = &sc.limits
				runSMSAttack(t, f, sc)
				msgs := outbox(t, db)
				queued, suppressed := 0, 0
				for _, m := range msgs {
					switch {
					case m.Status == booking.OutboxSuppressed && m.LastError == sc.reason:
						suppressed++
					case m.Status == booking.OutboxSuppressed:
						t.Errorf("message %d suppressed for %q, want %q", m.ID, m.LastError, sc.reason)
					default:
						queued++
					}
				}
				if want := smsWorkers * smsRounds * 3; len(msgs) != want {
					t.Errorf("%d messages written, want %d (every message is kept)", len(msgs), want)
				}
				most := sc.limit
				if sc.brake && db.Dialect().Name() == dialect.PG {
					most += 2 * smsWorkers
				}
				if queued < sc.limit || queued > most || suppressed != len(msgs)-queued {
					t.Errorf("%d queued and %d suppressed; the limit is %d, at most %d may pass", queued, suppressed, sc.limit, most)
				}
				if bad := booktest.Invariant(t, db); len(bad) > 0 {
					t.Errorf("invariant: %v", bad)
				}
			})
		})
	}
}

// TestSMSLimitsControl proves the concurrency test can fail: without the
// per-key lock, concurrent transactions on PostgreSQL each see room for
// one more message and together pass the limit. (SQLite runs one writer
// at a time, so it has no such race to show.)
func TestSMSLimitsControl(t *testing.T) {
	sc := smsScenarios[1] // one address, many phones: an exact limit
	passed := 0
	for attempt := 0; attempt < 5 && passed <= sc.limit; attempt++ {
		db := booktest.Open(t, booktest.Postgres)
		f := booktest.Seed(t, db)
		unlocked := booking.UnlockedSMSLimits(sc.limits)
		f.Store.SMSLimits = &unlocked
		runSMSAttack(t, f, sc)
		passed = 0
		for _, m := range outbox(t, db) {
			if m.Status != booking.OutboxSuppressed {
				passed++
			}
		}
	}
	if passed <= sc.limit {
		t.Fatalf("without the lock %d messages were queued, limit %d: the concurrency test proves nothing", passed, sc.limit)
	}
	t.Logf("without the lock: %d messages queued for a limit of %d", passed, sc.limit)
}

// TestSMSLimitsWindows: the windows slide (an hour, a day), the daily
// limit holds across hours, and messages caused by staff are not limited
// and not counted.
func TestSMSLimitsWindows(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.Store.SMSLimits = &booking.SMSLimits{
			PhoneHour: 2, PhoneDay: 3, AddressHour: 100, AddressDay: 100,
			LinkHour: 100, LinkDay: 100, LocationHour: 100, LocationDay: 100,
		}
		enableSMS(t, f, 0) // no reminders: one message per booking
		evs := f.YogaEvents(t, 8, 10)
		book := func(i int, link *booking.Link) *booking.OutboxMessage {
			t.Helper()
			r := req(f, 7, 1, evs[i])
			r.Link, r.ClientIP = link, "192.0.2.10"
			res, err := f.Store.Reserve(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			var m booking.OutboxMessage
			if err := db.NewSelect().Model(&m).Where("group_id = ?", res.Group.ID).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			return &m
		}
		status := func(m *booking.OutboxMessage) string { return m.Status + " " + m.LastError }
		if a, b := book(0, f.Link), book(1, f.Link); a.Status != booking.OutboxPending || b.Status != booking.OutboxPending {
			t.Fatalf("first two: %s, %s", status(a), status(b))
		}
		if m := book(2, f.Link); m.Status != booking.OutboxSuppressed || m.LastError != "limit:phone:hour" {
			t.Fatalf("third within the hour: %s", status(m))
		}
		// Staff book the same phone: sent, and not counted.
		for i := 3; i < 5; i++ {
			if m := book(i, nil); m.Status != booking.OutboxPending {
				t.Errorf("staff booking %d: %s", i, status(m))
			}
		}
		f.Now = f.Now.Add(61 * time.Minute)
		if m := book(5, f.Link); m.Status != booking.OutboxPending {
			t.Fatalf("an hour later: %s", status(m))
		}
		if m := book(6, f.Link); m.Status != booking.OutboxSuppressed || m.LastError != "limit:phone:day" {
			t.Fatalf("fourth within the day: %s", status(m))
		}
		f.Now = f.Now.Add(23 * time.Hour)
		if m := book(7, f.Link); m.Status != booking.OutboxPending {
			t.Fatalf("a day after the first: %s", status(m))
		}

		// The worker never claims a suppressed message.
		claimed, err := f.Store.ClaimDue(ctx, "test", 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range claimed {
			if m.Status != booking.OutboxPending {
				t.Errorf("claimed a %s message", m.Status)
			}
		}
		if len(claimed) != 6 {
			t.Errorf("claimed %d, want the 6 pending", len(claimed))
		}
		// The SMS page's counts: both suppressed within the week, one
		// within the last day.
		counts, err := f.Store.SuppressedCounts(ctx, f.Location.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][2]int{}
		for _, c := range counts {
			got[c.Reason] = [2]int{c.Day, c.Week}
		}
		if len(got) != 2 || got["limit:phone:hour"] != [2]int{0, 1} || got["limit:phone:day"] != [2]int{1, 1} {
			t.Errorf("suppressed counts %v", got)
		}
	})
}

// TestSMSLimitsStaffCancel: staff cancelling is never limited.
func TestSMSLimitsStaffCancel(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		l := with(loose(), func(l *booking.SMSLimits) { l.PhoneHour = 1 })
		f.Store.SMSLimits = &l
		enableSMS(t, f, 0)
		evs := f.YogaEvents(t, 3, 10)
		var ids []int64
		for _, ev := range evs {
			r := req(f, 9, 1, ev)
			r.Link = nil
			res, err := f.Store.Reserve(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, res.Bookings[0].ID)
		}
		for _, id := range ids {
			if _, err := f.Store.CancelByAdmin(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range outbox(t, db) {
			if m.Status == booking.OutboxSuppressed {
				t.Errorf("staff message %d suppressed: %s", m.ID, m.LastError)
			}
		}
	})
}

// TestPhoneCountries: the widget refuses a phone from a country the
// location does not take (at the phone field, nothing written) while SMS
// can reach it; staff may enter any client, but no SMS goes abroad.
func TestPhoneCountries(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 3, 10)
		us := booking.ClientInput{Phone: "+12025550143", FirstName: "Ann"}
		widgetReq := func(ev *booking.Event) booking.ReserveRequest {
			return booking.ReserveRequest{LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{ev.ID}, Seats: 1, Client: us, ClientIP: "192.0.2.1"}
		}
		// SMS off and no code asked: any valid number is taken.
		if _, err := f.Store.Reserve(ctx, widgetReq(evs[0])); err != nil {
			t.Fatalf("SMS off: %v", err)
		}
		enableSMS(t, f, 0)
		var fe booking.FieldErrors
		_, err := f.Store.Reserve(ctx, widgetReq(evs[1]))
		if !errors.As(err, &fe) || fe["phone"] != booking.MsgPhoneCountry {
			t.Fatalf("US phone, HU studio: %v", err)
		}
		if n, _ := db.NewSelect().Model((*booking.Booking)(nil)).Where("event_id = ?", evs[1].ID).Count(ctx); n != 0 || len(outbox(t, db)) != 0 {
			t.Fatalf("a refused booking wrote %d bookings, %d messages", n, len(outbox(t, db)))
		}
		// With other field errors, the country is reported too.
		bad := widgetReq(evs[1])
		bad.Client.FirstName = ""
		if _, err := f.Store.Reserve(ctx, bad); !errors.As(err, &fe) || fe["phone"] != booking.MsgPhoneCountry || fe["first_name"] == "" {
			t.Errorf("two problems: %v", err)
		}
		// Staff may book the client; the message is kept, not sent.
		staff := widgetReq(evs[1])
		staff.Link, staff.ClientIP = nil, ""
		if _, err := f.Store.Reserve(ctx, staff); err != nil {
			t.Fatalf("staff booking: %v", err)
		}
		msgs := outbox(t, db)
		if len(msgs) != 1 || msgs[0].Status != booking.OutboxSuppressed || msgs[0].LastError != "country:US" {
			t.Fatalf("staff booking's message: %+v", msgs)
		}
		// The owner adds the United States: taken and sent.
		st, _ := f.Store.SMSSettings(ctx, f.Location.ID)
		st.PhoneCountries = " hu,US ;hu "
		if err := f.Store.SaveSMSSettings(ctx, st); err != nil {
			t.Fatal(err)
		}
		if st, _ = f.Store.SMSSettings(ctx, f.Location.ID); st.PhoneCountries != "HU,US" {
			t.Errorf("stored countries %q", st.PhoneCountries)
		}
		if _, err := f.Store.Reserve(ctx, widgetReq(evs[2])); err != nil {
			t.Fatalf("US allowed: %v", err)
		}
		if msgs := outbox(t, db); msgs[len(msgs)-1].Status != booking.OutboxPending {
			t.Errorf("message to an allowed country: %+v", msgs[len(msgs)-1])
		}
		// Bad settings are refused at their fields, nothing saved.
		for _, in := range []string{"XX", "HU, Hungary", "H", "HU,ZZ"} {
			st := &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true, ReminderHours: 24, PhoneCountries: in}
			if err := f.Store.SaveSMSSettings(ctx, st); !errors.As(err, &fe) || fe["phone_countries"] != booking.MsgInvalidPhoneCountries {
				t.Errorf("countries %q: %v", in, err)
			}
		}
		if st, _ := f.Store.SMSSettings(ctx, f.Location.ID); st.PhoneCountries != "HU,US" {
			t.Errorf("a refused setting was saved: %q", st.PhoneCountries)
		}
		// The default follows the location's country.
		st.PhoneCountries = ""
		if err := f.Store.SaveSMSSettings(ctx, st); err != nil {
			t.Fatal(err)
		}
		if got := st.AllowedCountries("PT"); len(got) != 1 || got[0] != "PT" {
			t.Errorf("default countries %v", got)
		}
	})
}

func TestSMSSender(t *testing.T) {
	for v, want := range map[string]bool{
		"+36201234567": true, "+15005550006": true, "Sunrise": true, "Sunrise 1": true, "A": true, "Yoga Studio": true,
		"+0036201234567": false, "+3620": false, "+3620123456789012": false, "+36 20 123": false,
		"12345": false, "Sunrise Yoga Studio": false, "Jóga": false, "Yoga-Hub": false, "Yoga\x00": false, " ": false, "": false,
	} {
		if got := booking.ValidSMSSender(v); got != want {
			t.Errorf("ValidSMSSender(%q) = %v, want %v", v, got, want)
		}
	}
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		var fe booking.FieldErrors
		for _, s := range []string{"Sunrise Yoga Studio", "+0036201234567", "Yoga&Co"} {
			err := f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true, ReminderHours: 24, Sender: s})
			if !errors.As(err, &fe) || fe["sender"] != booking.MsgInvalidSMSSender {
				t.Errorf("sender %q: %v", s, err)
			}
		}
		if st, _ := f.Store.SMSSettings(ctx, f.Location.ID); st.Enabled {
			t.Error("a refused sender was saved")
		}
		if err := f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true, ReminderHours: 24, Sender: "Sunrise"}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":                "203.0.113.7",
		"::ffff:203.0.113.7":         "203.0.113.7",
		"2001:db8:1:2:aaaa::1":       "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff::99": "2001:db8:1:2::/64",
		"fe80::1%eth0":               "fe80::/64",
		"":                           "",
	} {
		if got := booking.AddressKey(in); got != want {
			t.Errorf("AddressKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkReserveSMS measures a one-event booking with SMS on (the
// "booked" message and a reminder), made by staff (no limits) and through
// the widget (every message counted against four keys, the phone's and
// the address's under their locks on PostgreSQL): the cost of the limits.
func BenchmarkReserveSMS(b *testing.B) {
	for _, kind := range []string{booktest.SQLite, booktest.Postgres} {
		for _, who := range []string{"staff", "widget"} {
			b.Run(kind+"/"+who, func(b *testing.B) {
				db := booktest.Open(b, kind)
				f := booktest.Seed(b, db)
				f.Store.SMSLimits = &booking.SMSLimits{
					PhoneHour: 1 << 30, PhoneDay: 1 << 30, AddressHour: 1 << 30, AddressDay: 1 << 30,
					LinkHour: 1 << 30, LinkDay: 1 << 30, LocationHour: 1 << 30, LocationDay: 1 << 30,
				}
				ctx := context.Background()
				if err := f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true, ReminderHours: 24}); err != nil {
					b.Fatal(err)
				}
				var evs []*booking.Event
				b.ReportAllocs()
				b.ResetTimer()
				for i := range b.N {
					if i%5000 == 0 {
						b.StopTimer()
						evs = f.YogaEvents(b, 1, 10000)
						b.StartTimer()
					}
					r := req(f, i, 1, evs...)
					r.ClientIP = fmt.Sprintf("198.51.100.%d", i%200)
					if who == "staff" {
						r.Link, r.ClientIP = nil, ""
					}
					if _, err := f.Store.Reserve(ctx, r); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
