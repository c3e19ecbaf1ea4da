package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"groupbook/booking"
)

// eventPay is a row's payment as the event window shows it: the state, and
// while unpaid the client's passes that could pay it and where to sell one.
type eventPay struct {
	State   booking.Payment
	Text    string
	Passes  []settingsOption
	SellURL string
	// Online is the money of a booking paid online (nil otherwise);
	// Flagged: its payment arrived with a wrong amount or currency.
	Online  *eventOnline
	Flagged bool
}

// eventPayTotals is the per-event line "Paid: 3 · Unpaid: 2" (bookings),
// with "Paid online: 7,000 HUF" when some paid online.
type eventPayTotals struct {
	Paid, Unpaid int
	Online       string
}

// newEventPay describes a row's payment.
func newEventPay(v *adminView, b booking.EventClient) eventPay {
	// The sale form comes back to this window after the sale (back=), so
	// the row can be paid with the pass just sold.
	back := url.QueryEscape(eventURL(b.EventID))
	p := eventPay{State: b.Payment, SellURL: "/admin/clients/" + strconv.FormatInt(b.ClientID, 10) + "?sell=1&back=" + back + "#ga-sell"}
	switch b.Payment {
	case booking.PaymentDesk:
		p.Text = v.L.T("admin_passes_pay_desk")
	case booking.PaymentPass:
		p.Text = v.L.T("admin_passes_pay_pass", map[string]any{"Name": b.PassName})
	case booking.PaymentFree:
		p.Text = v.L.T("admin_passes_pay_free")
	case booking.PaymentOnline:
		p.Text = v.L.T("admin_payments_pay_online", map[string]any{"Amount": v.L.Money(b.PaidAmountMinor, b.PaidCurrency)})
	case booking.PaymentOnlinePending:
		// attachOnline adds until when the seats are held.
		p.Text = v.L.T("admin_payments_pay_awaiting")
	default:
		p.State, p.Text = booking.PaymentUnpaid, v.L.T("admin_passes_pay_unpaid")
	}
	return p
}

// attachPasses offers, on each unpaid row, the client's passes that look
// able to pay it: active, covering the event's service, valid on its date,
// with visits for its seats. It is only the choice shown; PayWithPass
// checks all of it again under lock.
func (h *adminHandlers) attachPasses(ctx context.Context, v *adminView, p *eventPage) error {
	zone := v.Location.Zone()
	today := h.store.Clock().In(zone).Format(time.DateOnly)
	day := p.W.Event.StartsAt.In(zone).Format(time.DateOnly)
	byClient := map[int64][]booking.ClientPass{}
	for i := range p.Rows {
		r := &p.Rows[i]
		if r.Pay.State != booking.PaymentUnpaid {
			continue
		}
		passes, ok := byClient[r.ClientID]
		if !ok {
			var err error
			if passes, err = h.store.ClientPasses(ctx, v.Location.ID, r.ClientID); err != nil {
				return err
			}
			byClient[r.ClientID] = passes
		}
		for j := range passes {
			cp := &passes[j]
			if !cp.Active(today) || !cp.Covers(p.W.Event.ServiceID) || (cp.StartsOn != "" && cp.StartsOn > day) ||
				(cp.ValidUntil != "" && cp.ValidUntil < day) || (!cp.Unlimited() && cp.Balance < r.Booking.Seats) {
				continue
			}
			label := cp.Name + " · " + v.L.T("admin_passes_client_unlimited")
			if !cp.Unlimited() {
				label = cp.Name + " · " + v.L.N("admin_passes_left", cp.Balance)
			}
			r.Pay.Passes = append(r.Pay.Passes, settingsOption{Value: strconv.FormatInt(cp.ID, 10), Label: label})
		}
	}
	return nil
}

// eventPayMethods are the desk's ways of taking money, for the row form.
func eventPayMethods(v *adminView) []settingsOption {
	return []settingsOption{
		{Value: booking.MethodCash, Label: v.L.T("admin_passes_method_cash")},
		{Value: booking.MethodCard, Label: v.L.T("admin_passes_method_card")},
		{Value: booking.MethodOther, Label: v.L.T("admin_passes_method_other")},
		{Value: clientPassFree, Label: v.L.T("admin_passes_pay_free")},
	}
}

// paymentRefusal translates a refused payment action for the row.
func paymentRefusal(v *adminView, err error, today time.Time) (int, string, bool) {
	var short *booking.PassShortError
	var notValid *booking.PassNotValidError
	switch {
	case errors.Is(err, booking.ErrAlreadyPaid):
		return http.StatusConflict, v.L.T("admin_passes_error_paid"), true
	case errors.As(err, &short):
		return http.StatusUnprocessableEntity, v.L.N("admin_passes_error_short", short.Left, map[string]any{"Needed": short.Needed}), true
	case errors.As(err, &notValid):
		date := passDate(v.L, notValid.Date, today)
		if notValid.Expired() {
			return http.StatusUnprocessableEntity, v.L.T("admin_passes_error_expired", map[string]any{"Until": passDate(v.L, notValid.ValidUntil, today), "Date": date}), true
		}
		return http.StatusUnprocessableEntity, v.L.T("admin_passes_error_not_started", map[string]any{"From": passDate(v.L, notValid.ValidFrom, today), "Date": date}), true
	case errors.Is(err, booking.ErrPassNotCovering):
		return http.StatusUnprocessableEntity, v.L.T("admin_passes_error_not_covering"), true
	case errors.Is(err, booking.ErrPassVoided):
		return http.StatusUnprocessableEntity, v.L.T("admin_passes_error_voided"), true
	case errors.Is(err, booking.ErrPassFrozen):
		return http.StatusUnprocessableEntity, v.L.T("admin_passes_error_frozen"), true
	case errors.Is(err, booking.ErrPass):
		return http.StatusUnprocessableEntity, v.L.T("admin_passes_error_not_usable"), true
	}
	return 0, "", false
}
