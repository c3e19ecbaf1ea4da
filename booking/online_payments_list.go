package booking

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// paymentRowScan is one row of the Payments page's queries.
type paymentRowScan struct {
	At          time.Time  `bun:"at"`
	Kind        string     `bun:"kind"`
	Method      string     `bun:"method"`
	What        string     `bun:"what"`
	Start       *time.Time `bun:"start"`
	ClientID    int64      `bun:"client_id"`
	FirstName   string     `bun:"first_name"`
	LastName    string     `bun:"last_name"`
	Phone       string     `bun:"phone"`
	BookingID   int64      `bun:"booking_id"`
	AmountMinor int64      `bun:"amount_minor"`
	Currency    string     `bun:"currency"`
	Status      string     `bun:"status"`
	StripeID    string     `bun:"stripe_id"`
	Reason      string     `bun:"reason"`
	EntryID     int64      `bun:"entry_id"`
	Purpose     string     `bun:"purpose"`
}

// Reason of a Payments row that is a pass sold at the desk.
const ReasonPassSale = "pass_sale"

// Payments lists the location's payments and refunds for the Payments
// page, newest first: online charges and refunds (the ledger), desk
// payments of bookings, and passes sold at the desk (Reason
// ReasonPassSale). Method "pass_sale" selects pass sales, at the desk and
// online; Status "flagged" selects charges whose amount or currency
// differed (Status OnlineMismatch).
func (s *Store) Payments(ctx context.Context, f PaymentFilter) ([]PaymentRow, error) {
	var all []paymentRowScan
	if f.Method == "" || f.Method == "online" || f.Method == "pass_sale" {
		var rows []paymentRowScan
		err := s.db.NewRaw(`SELECT e.created_at AS at, e.kind, 'online' AS method,
			COALESCE(svc.name, pt.name, (SELECT s2.name FROM bookings b2 JOIN events e2 ON e2.id = b2.event_id
				JOIN services s2 ON s2.id = e2.service_id WHERE b2.group_id = p.group_id ORDER BY b2.id LIMIT 1), '') AS what,
			COALESCE(ev.starts_at, (SELECT e3.starts_at FROM bookings b3 JOIN events e3 ON e3.id = b3.event_id
				WHERE b3.group_id = p.group_id AND p.purpose = 'booking' ORDER BY b3.id LIMIT 1)) AS start,
			c.id AS client_id, c.first_name, c.last_name, c.phone, COALESCE(e.booking_id, 0) AS booking_id,
			e.amount_minor, e.currency,
			CASE WHEN e.kind = 'charge' AND p.status = 'mismatch' THEN 'mismatch' ELSE e.status END AS status,
			e.stripe_id, e.reason, e.id AS entry_id, p.purpose
			FROM payment_entries AS e
			JOIN online_payments AS p ON p.id = e.online_payment_id
			JOIN clients AS c ON c.id = p.client_id
			LEFT JOIN bookings AS b ON b.id = e.booking_id
			LEFT JOIN events AS ev ON ev.id = b.event_id
			LEFT JOIN services AS svc ON svc.id = ev.service_id
			LEFT JOIN pass_types AS pt ON pt.id = p.pass_type_id AND p.purpose = 'pass'
			WHERE e.location_id = ? AND e.created_at >= ? AND e.created_at < ? AND (? = 0 OR c.id = ?)`,
			f.LocationID, f.From.UTC(), f.To.UTC(), f.ClientID, f.ClientID).Scan(ctx, &rows)
		if err != nil {
			return nil, fmt.Errorf("payments ledger: %w", err)
		}
		for _, r := range rows {
			if f.Method != "pass_sale" || r.Purpose == PurposePass {
				all = append(all, r)
			}
		}
	}
	if f.Method == "" || ValidPayMethod(f.Method) {
		var rows []paymentRowScan
		err := s.db.NewRaw(`SELECT b.paid_at AS at, 'charge' AS kind, b.paid_method AS method, svc.name AS what, ev.starts_at AS start,
			c.id AS client_id, c.first_name, c.last_name, c.phone, b.id AS booking_id, b.paid_amount_minor AS amount_minor,
			b.paid_currency AS currency, 'succeeded' AS status, '' AS stripe_id, '' AS reason, 0 AS entry_id, '' AS purpose
			FROM bookings AS b
			JOIN clients AS c ON c.id = b.client_id
			JOIN events AS ev ON ev.id = b.event_id
			JOIN services AS svc ON svc.id = ev.service_id
			WHERE b.location_id = ? AND b.payment = ? AND b.paid_at >= ? AND b.paid_at < ? AND (? = 0 OR c.id = ?)`,
			f.LocationID, PaymentDesk, f.From.UTC(), f.To.UTC(), f.ClientID, f.ClientID).Scan(ctx, &rows)
		if err != nil {
			return nil, fmt.Errorf("payments at the desk: %w", err)
		}
		for _, r := range rows {
			if f.Method == "" || r.Method == f.Method {
				all = append(all, r)
			}
		}
	}
	if f.Method == "" || f.Method == "pass_sale" || ValidPayMethod(f.Method) {
		var rows []paymentRowScan
		err := s.db.NewRaw(`SELECT pe.created_at AS at, 'charge' AS kind, pe.method, cp.name AS what, NULL AS start,
			c.id AS client_id, c.first_name, c.last_name, c.phone, 0 AS booking_id, pe.amount_minor, pe.currency,
			'succeeded' AS status, '' AS stripe_id, ? AS reason, 0 AS entry_id, '' AS purpose
			FROM pass_entries AS pe
			JOIN client_passes AS cp ON cp.id = pe.pass_id
			JOIN clients AS c ON c.id = cp.client_id
			WHERE pe.location_id = ? AND pe.kind = ? AND pe.method IN ('cash', 'card', 'other') AND pe.amount_minor > 0
			AND pe.created_at >= ? AND pe.created_at < ? AND (? = 0 OR c.id = ?)`,
			ReasonPassSale, f.LocationID, EntrySale, f.From.UTC(), f.To.UTC(), f.ClientID, f.ClientID).Scan(ctx, &rows)
		if err != nil {
			return nil, fmt.Errorf("pass sales: %w", err)
		}
		for _, r := range rows {
			if f.Method == "" || f.Method == "pass_sale" || r.Method == f.Method {
				all = append(all, r)
			}
		}
	}
	out := make([]PaymentRow, 0, len(all))
	for _, r := range all {
		if !paymentStatusMatches(f.Status, r.Kind, r.Status) {
			continue
		}
		row := PaymentRow{At: r.At, Kind: r.Kind, Method: r.Method, What: r.What, Start: r.Start, ClientID: r.ClientID,
			ClientName: joinName(r.FirstName, r.LastName), ClientPhone: r.Phone, BookingID: r.BookingID,
			AmountMinor: r.AmountMinor, Currency: r.Currency, Status: r.Status, StripeID: r.StripeID, Reason: r.Reason, EntryID: r.EntryID}
		out = append(out, row)
	}
	slices.SortStableFunc(out, func(a, b PaymentRow) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return cmp.Compare(b.EntryID, a.EntryID)
	})
	return out, nil
}

// paymentStatusMatches applies PaymentFilter.Status to a row.
func paymentStatusMatches(want, kind, status string) bool {
	switch want {
	case "":
		return true
	case "paid":
		return kind == EntryCharge && status == EntrySucceeded
	case "refunded":
		return kind == EntryRefund && status == EntrySucceeded
	case "refund_pending":
		return kind == EntryRefund && status == EntryPending
	case "refund_failed":
		return kind == EntryRefund && status == EntryFailed
	case "flagged":
		return kind == EntryCharge && status == OnlineMismatch
	}
	return false
}

func joinName(first, last string) string {
	if last == "" {
		return first
	}
	if first == "" {
		return last
	}
	return first + " " + last
}
