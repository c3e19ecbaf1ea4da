package handlers

import (
	"net/url"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/locales"
)

// paymentsFilter is the Payments page's filter as the form posts it (GET,
// so a filtered list can be bookmarked and the CSV link carries it).
type paymentsFilter struct {
	From, To       string // YYYY-MM-DD in the location's zone, both included
	Method, Status string
	Bad            bool // a date that did not parse was replaced by the default
}

// paymentsDefaultDays is the range shown when none is asked for: the last
// 30 days, today included.
const paymentsDefaultDays = 30

// paymentsMaxDays bounds the range, so one request cannot make the page or
// the CSV read years of rows.
const paymentsMaxDays = 366

// Choices of the method and status filters, in the order offered.
var (
	paymentsMethods  = []string{"", paymentsOnline, booking.MethodCash, booking.MethodCard, booking.MethodOther, paymentsPassSale}
	paymentsStatuses = []string{"", "paid", "refunded", "refund_pending", "refund_failed", "flagged"}
)

// Method filters beside the desk's (PaymentFilter.Method): money taken
// through Stripe, and passes sold at the desk.
const (
	paymentsOnline   = "online"
	paymentsPassSale = "pass_sale"
)

// readPaymentsFilter reads the query; unknown choices become "all" and
// dates that do not parse (or a range upside down or too long) the
// default range, flagged so the page can say so.
func readPaymentsFilter(c *gin.Context, today time.Time) paymentsFilter {
	f := paymentsFilter{From: c.Query("from"), To: c.Query("to"), Method: c.Query("method"), Status: c.Query("status")}
	if !slices.Contains(paymentsMethods, f.Method) {
		f.Method = ""
	}
	if !slices.Contains(paymentsStatuses, f.Status) {
		f.Status = ""
	}
	defFrom := today.AddDate(0, 0, -(paymentsDefaultDays - 1)).Format(time.DateOnly)
	defTo := today.Format(time.DateOnly)
	if f.From == "" && f.To == "" {
		f.From, f.To = defFrom, defTo
		return f
	}
	from, err1 := time.Parse(time.DateOnly, f.From)
	to, err2 := time.Parse(time.DateOnly, f.To)
	if err1 != nil || err2 != nil || to.Before(from) || to.Sub(from) > paymentsMaxDays*24*time.Hour {
		f.From, f.To, f.Bad = defFrom, defTo, true
	}
	return f
}

// core is the filter for the store: [From 00:00, the day after To 00:00)
// in the location's zone.
func (f paymentsFilter) core(locationID int64, zone *time.Location) booking.PaymentFilter {
	from, _ := time.ParseInLocation(time.DateOnly, f.From, zone)
	to, _ := time.ParseInLocation(time.DateOnly, f.To, zone)
	return booking.PaymentFilter{LocationID: locationID, From: from, To: to.AddDate(0, 0, 1), Method: f.Method, Status: f.Status}
}

// query is the filter as a query string, for the CSV link.
func (f paymentsFilter) query() string {
	q := url.Values{"from": {f.From}, "to": {f.To}}
	if f.Method != "" {
		q.Set("method", f.Method)
	}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	return q.Encode()
}

// options lists a filter's choices with the current one selected.
func paymentsOptions(L *locales.Localizer, prefix string, values []string, cur string) []linkOption {
	out := make([]linkOption, 0, len(values))
	for _, val := range values {
		id := prefix + val
		if val == "" {
			id = prefix + "all"
		}
		out = append(out, linkOption{Value: val, Label: L.T(id), Selected: val == cur})
	}
	return out
}
