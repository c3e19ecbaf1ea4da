package handlers

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/locales"
)

// paymentsCSV exports the Payments page's list, with the same filter, as a
// CSV file for the studio's bookkeeping.
func (h *adminHandlers) paymentsCSV(c *gin.Context) {
	v := h.newAdminView(c)
	if !settingsNeedLocation(c, v) {
		return
	}
	zone := v.Location.Zone()
	f := readPaymentsFilter(c, h.paymentsToday(v))
	rows, err := h.store.Payments(c.Request.Context(), f.core(v.Location.ID, zone))
	if err != nil {
		h.serverError(c, err)
		return
	}
	var buf bytes.Buffer
	if err := writePaymentsCSV(&buf, v.L, rows, zone); err != nil {
		h.serverError(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="payments-%s-%s.csv"`, f.From, f.To))
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// writePaymentsCSV writes a header and one line per row. encoding/csv
// quotes commas, quotes and line breaks; csvCell keeps text a spreadsheet
// would run as a formula from being one. Amounts are plain decimals with
// a point (money given back negative) and the currency in its own column,
// so a spreadsheet sums them whatever its language. A UTF-8 byte order
// mark makes Excel read accented and Cyrillic names right.
func writePaymentsCSV(out io.Writer, L *locales.Localizer, rows []booking.PaymentRow, zone *time.Location) error {
	if _, err := io.WriteString(out, "\ufeff"); err != nil {
		return fmt.Errorf("payments csv: %w", err)
	}
	w := csv.NewWriter(out)
	head := []string{"date", "kind", "method", "status", "amount", "currency", "client", "phone", "what", "class_start", "booking", "stripe_id", "reason"}
	for i, k := range head {
		head[i] = L.T("admin_payments_csv_" + k)
	}
	if err := w.Write(head); err != nil {
		return fmt.Errorf("payments csv: %w", err)
	}
	for _, r := range rows {
		start, booking := "", ""
		if r.Start != nil {
			start = r.Start.In(zone).Format("2006-01-02 15:04")
		}
		if r.BookingID != 0 {
			booking = strconv.FormatInt(r.BookingID, 10)
		}
		reason := ""
		if r.Reason != "" {
			reason = L.T("admin_payments_reason_" + paymentsKnown(r.Reason, paymentReasons...))
		}
		line := []string{
			r.At.In(zone).Format("2006-01-02 15:04"),
			L.T("admin_payments_kind_" + paymentsKnown(r.Kind, "charge", "refund")),
			L.T("admin_payments_method_" + paymentsKnown(r.Method, paymentsMethods[1:]...)),
			L.T("admin_payments_row_" + paymentsKnown(r.Status, rowStatuses...)),
			csvAmount(signedAmount(r)), r.Currency,
			r.ClientName, r.ClientPhone, r.What, start, booking, r.StripeID, reason,
		}
		for i := range line {
			line[i] = csvCell(line[i])
		}
		if err := w.Write(line); err != nil {
			return fmt.Errorf("payments csv: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("payments csv: %w", err)
	}
	return nil
}

// csvAmount writes minor units as a decimal: -1250 as "-12.50".
func csvAmount(minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return fmt.Sprintf("%s%d.%02d", sign, minor/100, minor%100)
}

// csvCell defuses formula injection (OWASP "CSV injection"): a client's
// name such as =HYPERLINK(...) or +1+cmd|... would run in the studio's
// spreadsheet. A cell starting with = + - @ or a tab or carriage return
// gets a leading apostrophe, which spreadsheets show as text; a plain
// number (our negative amounts) is left alone, it cannot be a formula.
func csvCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && s[0] == '-' {
		return s
	}
	return "'" + s
}
