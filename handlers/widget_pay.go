package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/locales"
	"groupbook/widget"
)

// payStudio is the payment step's choice to pay at the studio; any other
// value of the pay field is a pass id.
const payStudio = "studio"

// widgetPayPage is the payment step: shown after the phone is confirmed by
// SMS code when the client holds a pass that may pay for the selection.
type widgetPayPage struct {
	widgetSummary
	Token  string // the signed selection, with its request key
	Form   widget.ContactInput
	Seats  int
	Visits int // what the selection takes from a pass: dates × seats
	Passes []payPass
	// Studio: paying at the studio is offered (the link does not require
	// a pass).
	Studio bool
	// Online is the "pay online" choice's label ("" when not offered);
	// Buy are the passes on sale online; HoldHint says how long seats are
	// held while paying ("" without online choices).
	Online   string
	Buy      []payBuy
	HoldHint string
	Chosen   string // the option checked: a pass id, payStudio, payOnline, payBuyPrefix+id
}

// payBuy is one "Buy a pass online" choice.
type payBuy struct {
	Value, Label, Hint string
}

// payPass is one "Use my pass" choice.
type payPass struct {
	ID           int64
	Value        string
	Label, Until string
	Problem      string // why it cannot pay for this selection ("" when it can)
}

// bookConfirmed goes on with a booking whose phone is confirmed by SMS
// code, just now or by the proof the client carries. pay is the payment
// step's choice: empty before the step was shown, payStudio, payOnline,
// payBuyPrefix+type, or a pass id (untrusted: the core takes only a pass
// of this phone's client here).
func (h *widgetHandlers) bookConfirmed(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, phone, pay string) {
	h.pay(c, v, sel, form, phone, pay)
}

// showPay renders the payment step with the choices: the client's usable
// passes, paying online, passes to buy online, the studio.
func (h *widgetHandlers) showPay(c *gin.Context, v *widgetView, status int, sel *widget.Selection, form widget.ContactInput, ch *payChoices, chosen string) {
	token, err := h.flow.Seal(sel)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := &widgetPayPage{Token: token, Form: form, Seats: sel.Seats, Studio: ch.Studio, Chosen: chosen}
	if p.widgetSummary, err = h.summary(c, v, sel); err != nil {
		h.serverError(c, err)
		return
	}
	p.Visits = len(p.Events) * sel.Seats
	for _, o := range ch.Passes {
		ps := &o.Pass
		pp := payPass{ID: ps.ID, Value: strconv.FormatInt(ps.ID, 10)}
		if o.Err != nil {
			// Said before the client chooses; choosing it anyway gets
			// the same answer from the core, at the field.
			pp.Problem = passErrorText(v.L, o.Err)
		}
		left := v.L.T("widget_pass_unlimited")
		if !ps.Unlimited() {
			left = v.L.N("widget_pass_left", ps.Balance)
		}
		pp.Label = v.L.T("widget_pay_use_pass", map[string]any{"Name": ps.Name, "Left": left})
		if ps.ValidUntil != "" {
			pp.Until = v.L.T("widget_pay_valid_until", map[string]any{"Date": localDate(v.L, ps.ValidUntil)})
		}
		p.Passes = append(p.Passes, pp)
	}
	h.onlineChoices(v, p, ch)
	for _, pp := range p.Passes {
		if p.Chosen == "" && pp.Problem == "" {
			// A pass that can pay is the likely choice, shown checked on
			// a page the client confirms.
			p.Chosen = pp.Value
		}
	}
	switch {
	case p.Chosen != "":
	case p.Online != "":
		p.Chosen = payOnline // the link asks for payment up front
	case p.Studio:
		p.Chosen = payStudio // no pass can pay: the studio is the way on
	}
	v.relinkToContact(sel)
	v.Page, v.Title = p, v.L.T("widget_pay_title")
	h.render(c, status, "widget_pay", v)
}

// payRefused shows the payment step again with why the choice cannot pay
// at its field (422, nothing booked). A client left with no pass at all
// on a link that requires one is told so on the contact step. phone is the
// confirmed phone ("" on a link that does not confirm phones).
func (h *widgetHandlers) payRefused(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, phone, chosen, msg string) {
	if _, err := h.flow.NormalizedContact(v.Link, v.Cat, form); err != nil {
		h.contactErrors(c, v, sel, form, err)
		return
	}
	ch, err := h.payChoices(c, v, sel, phone)
	if err != nil {
		h.serverError(c, err)
		return
	}
	if len(ch.Passes) == 0 && v.Link.PassRequired() {
		h.passRequired(c, v, sel, form)
		return
	}
	v.Errors = map[string]string{"pay": msg}
	v.alert("error", v.L.T("widget_fix_errors"))
	h.showPay(c, v, http.StatusUnprocessableEntity, sel, form, ch, chosen)
}

// passRequired refuses a booking on a link that takes passes only, when
// the client has no pass for it: nothing is booked.
func (h *widgetHandlers) passRequired(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput) {
	msg := "widget_pass_required"
	if !v.Link.SMSConfirm {
		msg = "widget_pass_required_no_sms"
	}
	v.alert("error", v.L.T(msg))
	h.showContact(c, v, http.StatusUnprocessableEntity, sel, form)
}

// passRefusal answers the core's refusal of a pass: the shortfall or the
// rule it breaks, at the payment step's field. It tells whether err was one.
func (h *widgetHandlers) passRefusal(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, passID int64, err error) bool {
	if errors.Is(err, widget.ErrPassRequired) || errors.Is(err, booking.ErrPassRequired) {
		h.passRequired(c, v, sel, form)
		return true
	}
	if !errors.Is(err, booking.ErrPass) && !errors.Is(err, widget.ErrPassUnknown) {
		return false
	}
	h.log.Info("widget pass refused", "err", err, "request_id", c.GetString(ctxRequestID))
	phone := ""
	if v.Link.SMSConfirm {
		// A pass id reaches the core only for a confirmed phone.
		phone, _ = h.flow.NormalizedContact(v.Link, v.Cat, form)
	}
	h.payRefused(c, v, sel, form, phone, strconv.FormatInt(passID, 10), passErrorText(v.L, err))
	return true
}

// passErrorText is the client's message for a pass the core refused.
func passErrorText(l *locales.Localizer, err error) string {
	var short *booking.PassShortError
	var notValid *booking.PassNotValidError
	switch {
	case errors.As(err, &short):
		return l.T("widget_pass_short", map[string]any{"Left": l.N("widget_pass_left", short.Left), "Needed": short.Needed})
	case errors.As(err, &notValid) && notValid.Expired():
		return l.T("widget_pass_not_valid", map[string]any{"Until": localDate(l, notValid.ValidUntil), "Date": localDate(l, notValid.Date)})
	case errors.As(err, &notValid):
		return l.T("widget_pass_not_started", map[string]any{"Start": localDate(l, notValid.ValidFrom), "Date": localDate(l, notValid.Date)})
	case errors.Is(err, booking.ErrPassFrozen):
		return l.T("widget_pass_frozen")
	case errors.Is(err, booking.ErrPassNotCovering):
		return l.T("widget_pass_not_covering")
	default: // voided, another client's, unknown
		return l.T("widget_pass_unusable")
	}
}

// localDate writes a local date of the core (booking.DateLayout) short
// ("Tue 15 Dec"); a malformed one is shown as it is.
func localDate(l *locales.Localizer, date string) string {
	d, err := time.Parse(booking.DateLayout, date)
	if err != nil {
		return date
	}
	return l.DateShort(d)
}
