package booking

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// SMS limits for anonymous widget clients (issue 8: book and cancel in a
// loop queued 90 SMS to 30 foreign numbers in seconds). Every message a
// client in the widget causes — the "booked" message, each reminder of its
// bookings, and the "cancelled" message of a client's cancellation — counts
// once against the client's phone, the client's address, the link and the
// location, each per hour and per day. A message over any limit is still
// written, as OutboxSuppressed with the limit in LastError, and never sent:
// the booking or cancellation itself goes through, because refusing a
// booking over SMS cost would punish real clients, and the admin's SMS page
// shows what was held back. Messages caused by staff are never limited.
//
// The per-phone and per-address limits are exact under any concurrency;
// the link and location limits, shared by every client, may be passed by
// a few messages under a burst (see smsRule), so that a location's
// bookings never wait for each other's SMS counts.
//
// The windows slide (the last 60 minutes, the last 24 hours). A real client
// booking the maximum of 10 events gets 11 messages and cancelling some adds
// one each, so the per-phone limits leave room for that; a book-and-cancel
// loop costs three messages per round.
const (
	SMSPerPhoneHour    = 15
	SMSPerPhoneDay     = 30
	SMSPerAddressHour  = 30
	SMSPerAddressDay   = 90
	SMSPerLinkHour     = 200
	SMSPerLinkDay      = 1000
	SMSPerLocationHour = 300
	SMSPerLocationDay  = 1500
)

// SMSLimits are the limits in force; Store.SMSLimits overrides the
// defaults (tests lower them).
type SMSLimits struct {
	PhoneHour, PhoneDay       int
	AddressHour, AddressDay   int
	LinkHour, LinkDay         int
	LocationHour, LocationDay int
	// unlocked drops the lock that makes the counts exact under
	// concurrency; only the concurrency test's control sets it.
	unlocked bool
}

// DefaultSMSLimits are the constants above.
func DefaultSMSLimits() SMSLimits {
	return SMSLimits{
		PhoneHour: SMSPerPhoneHour, PhoneDay: SMSPerPhoneDay,
		AddressHour: SMSPerAddressHour, AddressDay: SMSPerAddressDay,
		LinkHour: SMSPerLinkHour, LinkDay: SMSPerLinkDay,
		LocationHour: SMSPerLocationHour, LocationDay: SMSPerLocationDay,
	}
}

func (s *Store) smsLimits() SMSLimits {
	if s.SMSLimits != nil {
		return *s.SMSLimits
	}
	return DefaultSMSLimits()
}

// smsOrigin is the widget client a change came from. Staff changes have
// none, and their messages are not limited.
type smsOrigin struct {
	linkID  int64
	address string // AddressKey of the client's IP; "" when unknown
	limits  SMSLimits
	pg      bool
}

// widgetOrigin describes a client acting through link from ip.
func (s *Store) widgetOrigin(linkID int64, ip string) *smsOrigin {
	return &smsOrigin{linkID: linkID, address: AddressKey(ip), limits: s.smsLimits(), pg: s.isPG()}
}

// AddressKey is what limits count a client address as. An IPv6 client
// usually holds a whole /64 (one home or phone gets one), so it counts as
// one address; otherwise a single client could rotate through 2^64 of
// them. Anything that is not an IP is kept as given.
func AddressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return truncate(ip, 64)
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.WithZone("").Prefix(64)
	if err != nil {
		return a.String()
	}
	return p.String()
}

// smsRule is one counted scope of a message: its key in rate_events and
// its hourly and daily limits.
//
// exact rules are counted under a lock per key (see take); they are the
// per-visitor keys, phone and address, which only one client's requests
// share. The link and location keys are shared by every client of the
// location: locking them would make all its widget bookings with SMS on
// wait for each other, one commit at a time. Their limits are a cost
// brake against floods, not a promise to a client, so they are counted
// without a lock: transactions running at the same moment do not see each
// other's messages, and a burst can pass such a limit by at most what
// those transactions queue (a few messages each).
type smsRule struct {
	scope     string // phone, address, link, location: named in the reason
	key       string
	hour, day int
	exact     bool
}

func (o *smsOrigin) rules(locationID int64, phone string) []smsRule {
	l := o.limits
	rules := []smsRule{{"phone", "sms:phone:" + phone, l.PhoneHour, l.PhoneDay, true}}
	if o.address != "" {
		rules = append(rules, smsRule{"address", "sms:address:" + o.address, l.AddressHour, l.AddressDay, true})
	}
	return append(rules,
		smsRule{"link", "sms:link:" + strconv.FormatInt(o.linkID, 10), l.LinkHour, l.LinkDay, false},
		smsRule{"location", "sms:location:" + strconv.FormatInt(locationID, 10), l.LocationHour, l.LocationDay, false},
	)
}

// smsCount is a key's messages in the last hour and day, this
// transaction's included.
type smsCount struct{ hour, day int }

// take counts one message for phone against every rule, or returns the
// reason ("limit:phone:hour") of the first limit it would pass, counting
// nothing. The counts are read and written inside the transaction that
// writes the message; an exact rule's key is locked until it commits, so
// concurrent requests see each other's messages and a burst cannot pass
// its limit (SQLite runs one writer at a time and needs no lock, and every
// limit is exact there).
func (w *outboxWriter) take(ctx context.Context, phone string) (string, error) {
	rules := w.origin.rules(w.loc.ID, phone)
	if err := w.loadCounts(ctx, rules); err != nil {
		return "", err
	}
	for _, r := range rules {
		c := w.counts[r.key]
		if c.hour >= r.hour {
			return "limit:" + r.scope + ":hour", nil
		}
		if c.day >= r.day {
			return "limit:" + r.scope + ":day", nil
		}
	}
	events := make([]rateEvent, len(rules))
	for i, r := range rules {
		w.counts[r.key].hour++
		w.counts[r.key].day++
		events[i] = rateEvent{Key: r.key, At: w.now}
	}
	if w.batched {
		w.rates = append(w.rates, events...)
		return "", nil
	}
	if _, err := w.tx.NewInsert().Model(&events).Exec(ctx); err != nil {
		return "", fmt.Errorf("count sms: %w", err)
	}
	return "", nil
}

// loadCounts counts the keys this transaction has not seen yet, locking
// those of exact rules first. Locks are taken in one global order (by lock
// id), after the events' row locks like every write path, so two
// transactions cannot deadlock.
func (w *outboxWriter) loadCounts(ctx context.Context, rules []smsRule) error {
	if w.counts == nil {
		w.counts = map[string]*smsCount{}
	}
	var keys, exact []string
	for _, r := range rules {
		if w.counts[r.key] == nil {
			keys = append(keys, r.key)
			if r.exact {
				exact = append(exact, r.key)
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	if w.origin.pg && !w.origin.limits.unlocked && len(exact) > 0 {
		if err := lockKeys(ctx, w.tx, exact); err != nil {
			return err
		}
	}
	var rows []struct {
		Key  string `bun:"key"`
		Day  int    `bun:"day"`
		Hour int    `bun:"hour"`
	}
	err := w.tx.NewSelect().TableExpr("rate_events").
		ColumnExpr("key").ColumnExpr("COUNT(*) AS day").
		ColumnExpr("SUM(CASE WHEN at > ? THEN 1 ELSE 0 END) AS hour", w.now.Add(-time.Hour)).
		Where("key IN (?)", bun.List(keys)).Where("at > ?", w.now.Add(-24*time.Hour)).
		GroupExpr("key").Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("count sms: %w", err)
	}
	for _, k := range keys {
		w.counts[k] = &smsCount{}
	}
	for _, r := range rows {
		*w.counts[r.Key] = smsCount{hour: r.Hour, day: r.Day}
	}
	return nil
}

// smsLockSpace keeps these advisory locks apart from any other use of
// PostgreSQL's two-key advisory locks.
const smsLockSpace = 0x67620001

// lockKeys takes a transaction-scoped advisory lock per key, in ascending
// lock id order, in one statement: the ids come out of the sorted
// subquery one by one and each is locked as it passes. Two keys sharing a
// 32-bit hash share a lock, which only makes their writers wait for each
// other.
func lockKeys(ctx context.Context, tx bun.Tx, keys []string) error {
	ids := make([]int64, len(keys))
	for i, k := range keys {
		h := fnv.New32a()
		h.Write([]byte(k))
		ids[i] = int64(int32(h.Sum32()))
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 1 {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?, ?)", smsLockSpace, ids[0]); err != nil {
			return fmt.Errorf("lock sms counts: %w", err)
		}
		return nil
	}
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?, k::int4) FROM (SELECT k FROM unnest(?::int8[]) AS u(k) ORDER BY k) AS sorted",
		smsLockSpace, pgdialect.Array(ids))
	if err != nil {
		return fmt.Errorf("lock sms counts: %w", err)
	}
	return nil
}
