package booking

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"github.com/uptrace/bun"
)

// ClientSummary is one row of a client search: the client and how many live
// bookings they hold, the upcoming ones counted apart.
type ClientSummary struct {
	Client
	Bookings int `bun:"bookings"`
	Upcoming int `bun:"upcoming"`
}

// SearchClients finds a location's clients by phone or name, at most limit
// of them; more tells whether there were others. A query without letters is
// a phone number, typed in any spelling: it matches the number it normalises
// to with the location's country, and any client whose number contains its
// digits (also after the national prefix, so "06 20 123" finds
// +3620123…). Otherwise every word must match a first name, last name or
// email, ignoring case. An empty query lists the newest clients.
func (s *Store) SearchClients(ctx context.Context, locationID int64, query string, limit int) (out []ClientSummary, more bool, err error) {
	if !ValidText(strings.TrimSpace(query)) {
		// Nothing stored can match it, and PostgreSQL would refuse a NUL.
		return nil, false, FieldErrors{"q": MsgInvalidText}
	}
	loc, err := s.Location(ctx, locationID)
	if err != nil {
		return nil, false, err
	}
	if limit < 1 {
		limit = 1
	}
	now := s.now()
	q := s.db.NewSelect().
		TableExpr("clients AS c").
		ColumnExpr("c.id, c.location_id, c.phone, c.first_name, c.last_name, c.email, c.created_at").
		ColumnExpr("(SELECT COUNT(*) FROM bookings AS b WHERE b.client_id = c.id AND b.status <> ?) AS bookings", StatusCancelled).
		ColumnExpr("(SELECT COUNT(*) FROM bookings AS b JOIN events AS e ON e.id = b.event_id"+
			" WHERE b.client_id = c.id AND b.status <> ? AND e.deleted_at IS NULL AND e.starts_at >= ?) AS upcoming", StatusCancelled, now).
		Where("c.location_id = ?", locationID).
		Limit(int64(limit) + 1)

	query = strings.TrimSpace(query)
	switch {
	case query == "":
		q = q.OrderExpr("c.created_at DESC, c.id DESC")
	case isPhoneQuery(query):
		patterns := phonePatterns(query, loc.Country)
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			for _, p := range patterns {
				q = q.WhereOr("c.phone LIKE ? ESCAPE '!'", p)
			}
			return q
		}).OrderExpr("c.last_name, c.first_name, c.id")
	default:
		for _, word := range strings.Fields(strings.ToLower(query)) {
			p := "%" + escapeLike(word) + "%"
			// LOWER on both sides; the query is lowered in Go as well, since
			// SQLite's LOWER only folds ASCII letters.
			q = q.Where("(LOWER(c.first_name) LIKE ? ESCAPE '!' OR LOWER(c.last_name) LIKE ? ESCAPE '!' OR LOWER(c.email) LIKE ? ESCAPE '!')", p, p, p)
		}
		q = q.OrderExpr("c.last_name, c.first_name, c.id")
	}
	if err := q.Scan(ctx, &out); err != nil {
		return nil, false, fmt.Errorf("search clients of location %d: %w", locationID, err)
	}
	if len(out) > limit {
		return out[:limit], true, nil
	}
	return out, false, nil
}

// isPhoneQuery tells a phone number ("06 20 123 4567", "+36-20/123") from a
// name: it has digits and no letters.
func isPhoneQuery(q string) bool {
	digits := false
	for _, r := range q {
		if unicode.IsLetter(r) {
			return false
		}
		if r >= '0' && r <= '9' {
			digits = true
		}
	}
	return digits
}

// phonePatterns are the LIKE patterns a phone query matches, E.164 numbers
// being stored as "+<country code><national number>".
func phonePatterns(q, region string) []string {
	var digits strings.Builder
	for _, r := range q {
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
		}
	}
	d := digits.String()
	out := []string{"%" + d + "%"}
	if e164, err := NormalizePhone(q, region); err == nil {
		out = append(out, escapeLike(e164))
	}
	trimmed := strings.TrimSpace(q)
	switch {
	case strings.HasPrefix(trimmed, "+"):
		// Already international; the digits pattern covers it.
	case strings.HasPrefix(d, "00") && len(d) > 2:
		out = append(out, "+"+d[2:]+"%")
	default:
		// A national spelling: the trunk prefix ("06" in Hungary, "0" in
		// most of Europe) stands for the country code.
		region = strings.ToUpper(region)
		ndd := phonenumbers.GetNddPrefixForRegion(region, true)
		cc := phonenumbers.GetCountryCodeForRegion(region)
		if ndd != "" && cc != 0 && strings.HasPrefix(d, ndd) && len(d) > len(ndd) {
			out = append(out, "+"+strconv.Itoa(cc)+d[len(ndd):]+"%")
		}
	}
	return out
}

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '!', so a
// typed % or _ is not a wildcard.
func escapeLike(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}
