package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

// Payment step choices beside payStudio and a pass id.
const (
	// payOnline pays for the selection online (Stripe Checkout).
	payOnline = "online"
	// payBuyPrefix + a pass type id buys that pass online and books with it.
	payBuyPrefix = "buy:"
)

// payChoices are the ways a selection may be paid through the link.
type payChoices struct {
	// Passes are the client's own passes (a phone confirmed by SMS code only).
	Passes []booking.PassOption
	// Online: paying online for the selection is offered.
	Online bool
	// Buy are the pass types the client may buy online to pay with.
	Buy []booking.PassType
	// Studio: paying at the studio is offered.
	Studio bool
	// Price is what the selection costs (nil: a free service).
	Price *widget.Price
}

// count is how many choices there are.
func (ch *payChoices) count() int {
	n := len(ch.Passes) + len(ch.Buy)
	if ch.Online {
		n++
	}
	if ch.Studio {
		n++
	}
	return n
}

// onlineOn tells whether the server can take money online.
func (h *widgetHandlers) onlineOn() bool { return h.payments != nil }

// payChoices works out what the payment step offers for a selection.
// phone is the client's phone when confirmed by SMS code ("" otherwise):
// only then are the client's passes looked up.
func (h *widgetHandlers) payChoices(c *gin.Context, v *widgetView, sel *widget.Selection, phone string) (*payChoices, error) {
	ctx := c.Request.Context()
	mode := v.Link.PaymentMode
	_, price, err := h.flow.SelectionPrice(ctx, v.Cat, sel)
	if err != nil {
		return nil, err
	}
	ch := &payChoices{Studio: !v.Link.PrepaymentRequired(), Price: price}
	if phone != "" && mode != booking.PayOnline {
		passes, err := h.flow.PassOptions(ctx, v.Link, phone, sel)
		if err != nil {
			return nil, err
		}
		ch.Passes = passes
	}
	if !h.onlineOn() || ch.Price == nil {
		return ch, nil
	}
	ch.Online = mode.Online()
	if mode != booking.PayPassRequired {
		buy, err := h.flow.OnlinePassTypes(ctx, v.Link, v.Cat, sel)
		if err != nil {
			return nil, err
		}
		ch.Buy = buy
	}
	return ch, nil
}

// pay goes on from the contact step (or the code, or the payment step)
// with the client's payment choice: pay is empty before the payment step
// was shown, else payStudio, payOnline, payBuyPrefix+type or a pass id.
// phone is the confirmed phone ("" when the link does not confirm phones:
// then no pass of the client is offered or spent). Every choice is checked
// again against what the link offers now; the core checks it once more.
func (h *widgetHandlers) pay(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, phone, pay string) {
	if v.Link.PaymentMode.Online() && !h.onlineOn() {
		h.onlineUnavailable(c, v)
		return
	}
	pay = strings.TrimSpace(pay)
	if pay == "" && c.PostForm("pay_step") == "1" {
		// The payment step was sent without a choice.
		h.payRefused(c, v, sel, form, phone, "", v.L.T("widget_pass_pick"))
		return
	}
	ch, err := h.payChoices(c, v, sel, phone)
	if err != nil {
		h.serverError(c, err)
		return
	}
	switch {
	case pay == "":
		h.payDefault(c, v, sel, form, phone, ch)
	case pay == payStudio:
		if !ch.Studio {
			h.payRefused(c, v, sel, form, phone, pay, v.L.T("widget_pass_pick"))
			return
		}
		h.finishBooking(c, v, sel, form, 0)
	case pay == payOnline:
		if !ch.Online {
			h.payRefused(c, v, sel, form, phone, "", v.L.T("widget_pass_pick"))
			return
		}
		h.holdAndPay(c, v, sel, form, phone, 0)
	case strings.HasPrefix(pay, payBuyPrefix):
		id, _ := strconv.ParseInt(strings.TrimPrefix(pay, payBuyPrefix), 10, 64)
		for _, t := range ch.Buy {
			if t.ID == id {
				h.holdAndPay(c, v, sel, form, phone, id)
				return
			}
		}
		h.payRefused(c, v, sel, form, phone, "", v.L.T("widget_online_pass_unavailable"))
	default:
		id, err := strconv.ParseInt(pay, 10, 64)
		if err != nil || id <= 0 || phone == "" || v.Link.PaymentMode == booking.PayOnline {
			// A pass is spent only for a phone confirmed by SMS code.
			h.payRefused(c, v, sel, form, phone, "", v.L.T("widget_pass_pick"))
			return
		}
		h.finishBooking(c, v, sel, form, id)
	}
}

// payDefault decides with no choice made yet: the payment step when there
// is something to choose, else the one way there is.
func (h *widgetHandlers) payDefault(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, phone string, ch *payChoices) {
	switch {
	case len(ch.Passes) > 0 || ch.count() > 1 || len(ch.Buy) > 0:
		h.showPay(c, v, http.StatusOK, sel, form, ch, "")
	case ch.Online:
		h.holdAndPay(c, v, sel, form, phone, 0)
	default:
		// At the studio; or a free selection on an online link (nothing
		// to pay, so nothing is held); a link that requires a pass
		// refuses there.
		h.finishBooking(c, v, sel, form, 0)
	}
}

// onlineUnavailable answers a link that takes payment online while the
// server has no payment provider: nothing can be booked through it.
func (h *widgetHandlers) onlineUnavailable(c *gin.Context, v *widgetView) {
	h.log.Warn("widget link takes online payment but Stripe is not configured", "link", v.Link.ID, "request_id", RequestID(c))
	v.Page, v.Title = widgetMessagePage{
		Heading: v.L.T("widget_online_unavailable_title"), Text: v.L.T("widget_online_unavailable_text"),
		BackURL: v.URL("/w/" + v.Link.Slug),
	}, v.L.T("widget_online_unavailable_title")
	c.Header("Retry-After", strconv.Itoa(retryAfterSeconds))
	h.render(c, http.StatusServiceUnavailable, "widget_message", v)
}

// holdAndPay holds the selection's seats for an online payment (buying the
// pass type buyTypeID when not 0) and opens its Checkout Session, then
// sends the client to the manage page, which shows the Pay button that
// leaves the frame for Checkout. When the session cannot be opened the hold
// is released at once and the client is told, nothing booked.
func (h *widgetHandlers) holdAndPay(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, phone string, buyTypeID int64) {
	ctx, cancel, kept := splitDeadline(c.Request.Context())
	defer cancel()
	res, err := h.flow.Hold(ctx, v.Link, v.Cat, sel, form, c.ClientIP(), buyTypeID)
	var fe booking.FieldErrors
	var re *booking.ReserveError
	switch {
	case err == nil:
	case h.offerRefusal(c, v, sel, form, err):
		return
	case errors.Is(err, booking.ErrTooManyHolds):
		h.tooManyHolds(c, v, sel, form)
		return
	case errors.Is(err, booking.ErrPassNotForSale):
		h.log.Info("widget pass purchase refused", "err", err, "request_id", RequestID(c))
		h.payRefused(c, v, sel, form, phone, "", v.L.T("widget_online_pass_unavailable"))
		return
	case errors.As(err, &fe):
		h.contactErrors(c, v, sel, form, fe)
		return
	case errors.As(err, &re):
		h.afterRefusal(c, v, sel, form, re)
		return
	case errors.Is(err, booking.ErrKeyReused):
		h.expired(c, v, err)
		return
	default:
		pay := payOnline
		if buyTypeID != 0 {
			pay = payBuyPrefix + strconv.FormatInt(buyTypeID, 10)
		}
		h.unknownOutcome(c, v, sel, form, pay, err, kept)
		return
	}
	token := res.Group.Token
	if res.Replayed || res.Group.State != booking.GroupPendingPayment {
		// A repeated submit shows what the first made (its Pay button);
		// a selection that costs nothing was booked outright.
		c.Redirect(http.StatusSeeOther, v.URL("/m/"+token, "new", "1"))
		return
	}
	_, err = h.startCheckout(ctx, v, token)
	switch {
	case err == nil, errors.Is(err, booking.ErrHoldExpired), errors.Is(err, booking.ErrNotPending):
		// Opened; or the group moved on meanwhile (the page says how).
	default:
		h.checkoutFailed(c, v, sel, form, err)
		return
	}
	c.Redirect(http.StatusSeeOther, v.URL("/m/"+token, "new", "1"))
}

// tooManyHolds refuses a hold beyond the client's or the address's
// limit (booking.MaxActiveHolds, MaxHoldsPerAddress): nothing is held, and
// the contact step comes back saying why, with 429 and a new request key.
func (h *widgetHandlers) tooManyHolds(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput) {
	h.log.Info("widget hold refused: too many awaiting payment", "link", v.Link.ID, "request_id", RequestID(c))
	sel.Key = ""
	v.alert("error", v.L.T("widget_online_too_many_holds"))
	c.Header("Retry-After", strconv.Itoa(holdMinutes(v.Cat.Location)*60))
	h.showContact(c, v, http.StatusTooManyRequests, sel, form)
}

// onlineChoices fills in the payment step's online choices.
func (h *widgetHandlers) onlineChoices(v *widgetView, p *widgetPayPage, ch *payChoices) {
	if ch.Price == nil {
		return
	}
	if ch.Online {
		p.Online = v.L.T("widget_online_pay", map[string]any{"Amount": v.L.Money(ch.Price.Total, ch.Price.Currency)})
	}
	for _, t := range ch.Buy {
		b := payBuy{Value: payBuyPrefix + strconv.FormatInt(t.ID, 10)}
		b.Label = v.L.T("widget_online_buy_pass", map[string]any{"Name": t.Name, "Price": v.L.Money(t.PriceMinor, t.Currency)})
		left := v.L.T("widget_pass_unlimited")
		if !t.Unlimited() {
			left = v.L.N("widget_pass_left", max(t.Visits-ch.Price.Visits(), 0))
		}
		b.Hint = v.L.T("widget_online_buy_pass_hint", map[string]any{"Left": left})
		p.Buy = append(p.Buy, b)
	}
	if p.Online != "" || len(p.Buy) > 0 {
		p.HoldHint = v.L.T("widget_online_hold_hint", map[string]any{"Minutes": holdMinutes(v.Cat.Location)})
	}
}

// holdMinutes is how long the location holds seats for a payment.
func holdMinutes(loc *booking.Location) int {
	if loc.PaymentHoldMin <= 0 {
		return booking.DefaultPaymentHoldMin
	}
	return loc.PaymentHoldMin
}

// passOffer is the contact step's word on a pass on sale online that
// would pay for the selection for less (the cheapest; "" when none, or
// without online payment, or on a link that takes passes the client has).
func (h *widgetHandlers) passOffer(c *gin.Context, v *widgetView, sel *widget.Selection) (string, error) {
	if !h.onlineOn() || v.Link.PaymentMode == booking.PayPassRequired {
		return "", nil
	}
	types, err := h.flow.OnlinePassTypes(c.Request.Context(), v.Link, v.Cat, sel)
	if err != nil || len(types) == 0 {
		return "", err
	}
	best := types[0]
	for _, t := range types[1:] {
		if t.PriceMinor < best.PriceMinor {
			best = t
		}
	}
	return v.L.T("widget_online_pass_offer", map[string]any{"Name": best.Name, "Price": v.L.Money(best.PriceMinor, best.Currency)}), nil
}
