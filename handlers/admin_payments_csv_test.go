package handlers

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"groupbook/booking"
	"groupbook/locales"
)

// TestPaymentsCSVWriter: a header and a row per payment, quoted where the
// text needs it (commas, quotes, line breaks), formula injection defused
// in text cells while negative amounts stay numbers, times in the
// location's zone, a byte order mark for Excel.
func TestPaymentsCSVWriter(t *testing.T) {
	b, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	zone, _ := time.LoadLocation("Europe/Budapest")
	start := time.Date(2026, 3, 4, 18, 0, 0, 0, time.UTC)
	rows := []booking.PaymentRow{
		{At: time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC), Kind: booking.EntryCharge, Method: "online", What: "Yoga, \"Flow\"", Start: &start,
			ClientID: 7, ClientName: "=HYPERLINK(\"http://evil\",\"x\")", ClientPhone: "+36301234567", BookingID: 12, AmountMinor: 2500, Currency: "EUR",
			Status: booking.EntrySucceeded, StripeID: "pi_123", EntryID: 3},
		{At: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), Kind: booking.EntryRefund, Method: "online", What: "Yoga", Start: &start,
			ClientName: "Anna\nKovács, Jr", ClientPhone: "+36301234567", BookingID: 12, AmountMinor: 1250, Currency: "EUR",
			Status: booking.EntryPending, Reason: booking.RefundStaff, EntryID: 4},
		{At: time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC), Kind: booking.EntryCharge, Method: "cash", What: "10 visits",
			ClientName: "@SUM(A1)", AmountMinor: 30000, Currency: "HUF", Status: booking.EntrySucceeded},
	}
	var buf bytes.Buffer
	if err := writePaymentsCSV(&buf, b.Localizer("en"), rows, zone); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasPrefix(raw, "\ufeff") {
		t.Error("no byte order mark")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("not valid CSV: %v\n%s", err, raw)
	}
	if len(recs) != 4 {
		t.Fatalf("%d records, want header + 3", len(recs))
	}
	if got := strings.Join(recs[0], "|"); got != "Date|Type|Method|Status|Amount|Currency|Client|Phone|For|Class start|Booking|Stripe ID|Reason" {
		t.Errorf("header %q", got)
	}
	want := [][]string{
		{"2026-03-01 10:30", "Payment", "Online (Stripe)", "Done", "25.00", "EUR", `'=HYPERLINK("http://evil","x")`, "'+36301234567", `Yoga, "Flow"`, "2026-03-04 19:00", "12", "pi_123", ""},
		{"2026-03-02 11:00", "Refund", "Online (Stripe)", "Pending", "-12.50", "EUR", "Anna\nKovács, Jr", "'+36301234567", "Yoga", "2026-03-04 19:00", "12", "", "refunded by staff"},
		{"2026-03-03 11:00", "Payment", "Cash", "Done", "300.00", "HUF", "'@SUM(A1)", "", "10 visits", "", "", "", ""},
	}
	for i, w := range want {
		if got := recs[i+1]; strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("row %d\n got %q\nwant %q", i, got, w)
		}
	}
}

// TestCSVCell: every formula trigger is defused; plain text and numbers,
// negative ones included, are left as they are.
func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-2+3": "'-2+3", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx",
		"-12.50": "-12.50", "Anna": "Anna", "": "", "12": "12", "a=b": "a=b",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestParseRefundAmount: the refund form's amount in minor units.
func TestParseRefundAmount(t *testing.T) {
	for in, want := range map[string]int64{"12.50": 1250, "12,5": 1250, "12": 1200, " 0.01 ": 1, "": 0} {
		if got, ok := parseRefundAmount(in); !ok || got != want {
			t.Errorf("%q = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"0", "0.00", "-5", "+5", "1.234", "abc", "1.", ".5", "1e3", "9999999999"} {
		if got, ok := parseRefundAmount(in); ok {
			t.Errorf("%q accepted as %d", in, got)
		}
	}
}
