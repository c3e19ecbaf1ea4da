package handlers

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/locales"
)

// paymentsPage is the Payments page: whether online payment works (and
// why not), its settings, what needs staff (flagged payments, failed
// refunds), and the filtered list of money taken and given back.
type paymentsPage struct {
	Online     bool
	WebhookURL string
	Events     []string // the Stripe events to subscribe to
	// HoldMin is the hold's minutes as stored, or as typed on a 422.
	HoldMin        string
	HoldMinMin     int
	HoldMinMax     int
	RefundOnCancel bool
	Filter         paymentsFilter
	Methods        []linkOption
	Statuses       []linkOption
	Rows           []paymentsRow
	Totals         []string // net per currency: "€120.00", charges minus refunds
	CSVURL         string
	Flagged        int // mismatched payments not refunded yet, all dates
	FailedRefunds  int // refunds that kept failing, all dates
}

// paymentsRow is one PaymentRow, every text formatted.
type paymentsRow struct {
	booking.PaymentRow
	When, Kind, MethodText, StatusText, ReasonText, Amount, Class string
	ClientURL                                                     string
	Refund, Flagged, Failed                                       bool
	// CanRefundFlagged: flagged, and no refund gives it back yet.
	CanRefundFlagged bool
}

// stripeEvents are the webhook events groupbook acts on; the page and the
// README tell the owner to subscribe to exactly these.
var stripeEvents = []string{"checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.expired"}

// paymentsPage shows the Payments page.
func (h *adminHandlers) paymentsPage(c *gin.Context) {
	v := h.paymentsView(c)
	if !settingsNeedLocation(c, v) {
		return
	}
	p := h.newPaymentsPage(v)
	if err := h.loadPayments(c.Request.Context(), v, p, readPaymentsFilter(c, h.paymentsToday(v))); err != nil {
		h.serverError(c, err)
		return
	}
	h.settingsRender(c, http.StatusOK, "admin_payments", v)
}

// paymentsView is the page's view with the message of the action that
// redirected here.
func (h *adminHandlers) paymentsView(c *gin.Context) *adminView {
	v := h.settingsView(c, "payments", "admin_payments_title")
	switch c.Query("done") {
	case "retried", "flagged_refunded", "flagged_refunded_before":
		v.alert("success", v.L.T("admin_payments_done_"+c.Query("done")))
	}
	return v
}

// paymentsToday is the location's date now, the end of the default range.
func (h *adminHandlers) paymentsToday(v *adminView) time.Time {
	return h.store.Clock().In(v.Location.Zone())
}

func (h *adminHandlers) newPaymentsPage(v *adminView) *paymentsPage {
	p := &paymentsPage{
		Online: h.onlineOn(), WebhookURL: h.baseURL + "/hooks/stripe", Events: stripeEvents,
		HoldMin: strconv.Itoa(v.Location.PaymentHoldMin), HoldMinMin: booking.MinPaymentHoldMin, HoldMinMax: booking.MaxPaymentHoldMin,
		RefundOnCancel: v.Location.RefundOnClientCancel,
	}
	if v.Location.PaymentHoldMin == 0 {
		p.HoldMin = strconv.Itoa(booking.DefaultPaymentHoldMin)
	}
	v.Page = p
	return p
}

// loadPayments fills the list for f, and the counts of what needs staff
// whatever the filter.
func (h *adminHandlers) loadPayments(ctx context.Context, v *adminView, p *paymentsPage, f paymentsFilter) error {
	L, zone := v.L, v.Location.Zone()
	p.Filter = f
	p.Methods = paymentsOptions(L, "admin_payments_method_", paymentsMethods, f.Method)
	p.Statuses = paymentsOptions(L, "admin_payments_status_", paymentsStatuses, f.Status)
	p.CSVURL = "/admin/payments/export.csv?" + f.query()
	if f.Bad {
		v.alert("error", L.T("admin_payments_bad_range", map[string]any{"Days": paymentsMaxDays}))
	}
	rows, err := h.store.Payments(ctx, f.core(v.Location.ID, zone))
	if err != nil {
		return err
	}
	net := map[string]int64{}
	for _, r := range rows {
		row := newPaymentsRow(L, r, zone)
		p.Rows = append(p.Rows, row)
		if r.Status == booking.EntrySucceeded {
			net[r.Currency] += signedAmount(r)
		}
	}
	for _, cur := range sortedKeys(net) {
		p.Totals = append(p.Totals, L.Money(net[cur], cur))
	}
	// Flagged payments not refunded yet and failed refunds wait for staff
	// whatever dates are shown: counted over all time, linked to the list
	// of them.
	unsettled, err := h.store.FlaggedUnsettled(ctx, v.Location.ID)
	if err != nil {
		return err
	}
	p.Flagged = len(unsettled)
	for i := range p.Rows {
		p.Rows[i].CanRefundFlagged = p.Rows[i].Flagged && unsettled[p.Rows[i].EntryID]
	}
	failed, err := h.store.Payments(ctx, booking.PaymentFilter{LocationID: v.Location.ID, To: h.store.Clock().AddDate(1, 0, 0), Status: "refund_failed"})
	if err != nil {
		return err
	}
	p.FailedRefunds = len(failed)
	return nil
}

// signedAmount is money in positive, money given back negative.
func signedAmount(r booking.PaymentRow) int64 {
	if r.Kind == booking.EntryRefund {
		return -r.AmountMinor
	}
	return r.AmountMinor
}

func newPaymentsRow(L *locales.Localizer, r booking.PaymentRow, zone *time.Location) paymentsRow {
	at := r.At.In(zone)
	row := paymentsRow{
		PaymentRow: r,
		When:       L.DateShort(at) + " " + L.Clock(at),
		Kind:       L.T("admin_payments_kind_" + paymentsKnown(r.Kind, booking.EntryCharge, booking.EntryRefund)),
		MethodText: L.T("admin_payments_method_" + paymentsKnown(r.Method, paymentsMethods[1:]...)),
		StatusText: L.T("admin_payments_row_" + paymentsKnown(r.Status, rowStatuses...)),
		Amount:     L.Money(signedAmount(r), r.Currency),
		Refund:     r.Kind == booking.EntryRefund,
		Flagged:    r.Status == booking.OnlineMismatch,
		Failed:     r.Kind == booking.EntryRefund && r.Status == booking.EntryFailed,
	}
	if r.Start != nil {
		s := r.Start.In(zone)
		row.Class = r.What + ", " + L.DateShort(s) + " " + L.Clock(s)
	} else {
		row.Class = r.What
	}
	if r.Reason != "" {
		row.ReasonText = L.T("admin_payments_reason_" + paymentsKnown(r.Reason, paymentReasons...))
	}
	if r.ClientID != 0 {
		row.ClientURL = "/admin/clients/" + idString(r.ClientID)
	}
	return row
}

// The row statuses and reasons (a refund's, or a pass sold) the page names; others show as
// "other".
var (
	rowStatuses    = []string{booking.EntrySucceeded, booking.EntryPending, booking.EntryFailed, booking.OnlineMismatch}
	paymentReasons = []string{booking.RefundClientCancel, booking.RefundEventDeleted, booking.RefundStaff, booking.RefundLate, booking.RefundDuplicate, booking.ReasonPassSale}
)

// paymentsKnown maps a value the core may grow to a message id suffix:
// anything not listed shows as "other" rather than as a missing message.
func paymentsKnown(s string, known ...string) string {
	for _, k := range known {
		if s == k {
			return s
		}
	}
	return "other"
}

func sortedKeys(m map[string]int64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
