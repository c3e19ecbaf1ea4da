package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/notify"
	"groupbook/widget"
)

type widgetVerifyPage struct {
	Token   string // the signed pending confirmation
	Phone   string
	DevCode string // demo mode only
	Done    bool   // the phone used up its tries: no code field
	EditURL string
	Wait    bool // the code confirms joining the waitlist, not a booking
}

// startConfirmation sends a code to the phone and shows the code form.
// When no code can go out, the client stays on the contact step, with the
// reason at the phone field or above the form.
func (h *widgetHandlers) startConfirmation(c *gin.Context, v *widgetView, p *widget.Pending) {
	err := h.flow.SendCode(c.Request.Context(), h.codes, v.Link, p.Phone, c.ClientIP(), v.Lang)
	var fe booking.FieldErrors
	switch {
	case err == nil:
		v.alert("success", v.L.T("widget_verify_sent"))
		h.showVerify(c, v, http.StatusOK, p)
	case errors.Is(err, widget.ErrCodeCooldown):
		// A repeated submit within the cooldown: the code already sent works.
		v.alert("info", v.L.T("widget_verify_sent_recently"))
		h.showVerify(c, v, http.StatusOK, p)
	case errors.As(err, &fe):
		h.contactErrors(c, v, &p.Selection, p.Contact, fe)
	case errors.Is(err, widget.ErrTooManySends), errors.Is(err, notify.ErrVerifyExhausted):
		h.log.Info("verification code refused", "err", err, "request_id", c.GetString(ctxRequestID))
		v.alert("error", v.L.T("widget_verify_too_many_sends"))
		h.showContact(c, v, http.StatusTooManyRequests, &p.Selection, p.Contact)
	case errors.Is(err, booking.ErrCodesPaused):
		h.codesPaused(c, v, err)
		v.Errors = map[string]string{"phone": v.L.T("widget_verify_paused")}
		v.alert("error", v.L.T("widget_verify_paused"))
		h.showContact(c, v, http.StatusServiceUnavailable, &p.Selection, p.Contact)
	case errors.Is(err, notify.ErrVerifyInvalidPhone):
		h.log.Info("verification code not sent: invalid phone", "err", err, "request_id", c.GetString(ctxRequestID))
		v.Errors = map[string]string{"phone": v.L.T("widget_verify_cannot_send")}
		v.alert("error", v.L.T("widget_fix_errors"))
		h.showContact(c, v, http.StatusUnprocessableEntity, &p.Selection, p.Contact)
	case errors.Is(err, widget.ErrCodeNotSent):
		h.log.Warn("verification code not sent", "err", err, "request_id", c.GetString(ctxRequestID))
		v.alert("error", v.L.T("widget_verify_unavailable"))
		h.showContact(c, v, http.StatusBadGateway, &p.Selection, p.Contact)
	default:
		h.serverError(c, err)
	}
}

// verify checks the code; a right code books at once. Every answer the
// SMS provider can give has its own page: a blank 500 would leave the
// client with a booking half done and no way on.
func (h *widgetHandlers) verify(c *gin.Context) {
	v, p, ok := h.openPending(c)
	if !ok {
		return
	}
	// A code form sent twice (a double tap, a retry after a lost answer)
	// meets a code Verify has already used up. The signed form carries the
	// booking's request key, so a booking made by the first submit is
	// shown instead of "the code expired".
	if h.alreadyBooked(c, v, p) {
		return
	}
	code := strings.Join(strings.Fields(c.PostForm("code")), "")
	err := h.flow.CheckCode(c.Request.Context(), h.codes, p.Phone, code)
	switch {
	case err == nil:
		proof, err := h.flow.SealProof(v.Link, p.Phone)
		if err != nil {
			h.serverError(c, err)
			return
		}
		v.carry.Set("pv", proof)
		if p.Selection.Wait {
			h.joinConfirmed(c, v, &p.Selection, p.Contact, true)
			return
		}
		// Only now, with the phone confirmed, may its passes be offered.
		h.bookConfirmed(c, v, &p.Selection, p.Contact, p.Phone, "")
	case errors.Is(err, widget.ErrWrongCode):
		v.Errors = map[string]string{"code": v.L.T("widget_verify_wrong_code")}
		h.showVerify(c, v, http.StatusUnprocessableEntity, p)
	case errors.Is(err, widget.ErrTooManyWrong):
		v.alert("error", v.L.T("widget_verify_too_many_wrong"))
		h.showVerifyDone(c, v, p)
	case errors.Is(err, notify.ErrVerifyExpired):
		// Verify forgets a code once it expired or was used: the way on is
		// a new code, which the form's resend button asks for, unless the
		// code was used by a twin of this submit that booked meanwhile.
		if h.alreadyBooked(c, v, p) {
			return
		}
		v.Errors = map[string]string{"code": v.L.T("widget_verify_expired")}
		h.showVerify(c, v, http.StatusUnprocessableEntity, p)
	case errors.Is(err, notify.ErrVerifyExhausted):
		h.log.Info("verification refused by the provider", "err", err, "request_id", c.GetString(ctxRequestID))
		v.alert("error", v.L.T("widget_verify_exhausted"))
		h.showVerifyDone(c, v, p)
	case errors.Is(err, notify.ErrVerifyInvalidPhone):
		h.badPhone(c, v, p, err)
	default:
		h.log.Warn("verification check failed", "err", err, "request_id", c.GetString(ctxRequestID))
		v.alert("error", v.L.T("widget_verify_unavailable"))
		h.showVerify(c, v, http.StatusBadGateway, p)
	}
}

// alreadyBooked redirects to the manage page when the pending
// confirmation's request key has booked, and tells whether it did.
func (h *widgetHandlers) alreadyBooked(c *gin.Context, v *widgetView, p *widget.Pending) bool {
	g, err := h.flow.Store.GroupByKey(c.Request.Context(), p.Selection.Key)
	if err != nil {
		return false // not booked, or not known now: the code decides
	}
	// The key booked only after this phone's code was right, so the
	// client keeps the proof as the first answer gave it.
	if proof, err := h.flow.SealProof(v.Link, p.Phone); err == nil {
		v.carry.Set("pv", proof)
	}
	c.Redirect(http.StatusSeeOther, v.URL("/m/"+g.Token, "new", "1"))
	return true
}

// resend sends a new code after the cooldown.
func (h *widgetHandlers) resend(c *gin.Context) {
	v, p, ok := h.openPending(c)
	if !ok {
		return
	}
	err := h.flow.SendCode(c.Request.Context(), h.codes, v.Link, p.Phone, c.ClientIP(), v.Lang)
	var fe booking.FieldErrors
	switch {
	case err == nil:
		v.alert("success", v.L.T("widget_verify_resent"))
		h.showVerify(c, v, http.StatusOK, p)
	case errors.Is(err, widget.ErrCodeCooldown):
		v.alert("error", v.L.T("widget_verify_wait", map[string]any{"Seconds": int(widget.CodeCooldown.Seconds())}))
		h.showVerify(c, v, http.StatusTooManyRequests, p)
	case errors.As(err, &fe):
		// The location's countries changed since the code form was shown.
		h.contactErrors(c, v, &p.Selection, p.Contact, fe)
	case errors.Is(err, widget.ErrTooManySends):
		v.alert("error", v.L.T("widget_verify_too_many_sends"))
		h.showVerify(c, v, http.StatusTooManyRequests, p)
	case errors.Is(err, booking.ErrCodesPaused):
		h.codesPaused(c, v, err)
		v.alert("error", v.L.T("widget_verify_paused"))
		h.showVerify(c, v, http.StatusServiceUnavailable, p)
	case errors.Is(err, notify.ErrVerifyExhausted):
		h.log.Info("verification code refused by the provider", "err", err, "request_id", c.GetString(ctxRequestID))
		v.alert("error", v.L.T("widget_verify_exhausted"))
		h.showVerifyDone(c, v, p)
	case errors.Is(err, notify.ErrVerifyInvalidPhone):
		h.badPhone(c, v, p, err)
	case errors.Is(err, widget.ErrCodeNotSent):
		h.log.Warn("verification code not resent", "err", err, "request_id", c.GetString(ctxRequestID))
		v.alert("error", v.L.T("widget_verify_unavailable"))
		h.showVerify(c, v, http.StatusBadGateway, p)
	default:
		h.serverError(c, err)
	}
}

// badPhone sends the client back to the contact step: the provider cannot
// reach the number.
func (h *widgetHandlers) badPhone(c *gin.Context, v *widgetView, p *widget.Pending, err error) {
	h.log.Info("verification: the provider refuses the phone", "err", err, "request_id", c.GetString(ctxRequestID))
	v.Errors = map[string]string{"phone": v.L.T("widget_verify_cannot_send")}
	v.alert("error", v.L.T("widget_fix_errors"))
	h.showContact(c, v, http.StatusUnprocessableEntity, &p.Selection, p.Contact)
}

// codesPaused answers while the install-wide breaker holds codes back: the
// request that opened it logs an error for the operator (the owner also
// sees it in the admin), and every refused client is told when to retry.
func (h *widgetHandlers) codesPaused(c *gin.Context, v *widgetView, err error) {
	var p *booking.CodePause
	if !errors.As(err, &p) {
		return
	}
	if p.Tripped {
		h.log.Error("confirmation codes paused: too many sent across the install",
			"sends", p.Sends, "window", p.Window.String(), "until", p.Until.Format(time.RFC3339), "request_id", c.GetString(ctxRequestID))
	}
	if wait := p.Until.Sub(h.flow.Now()); wait > 0 {
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
	}
}

// openPending loads the link and the code form's signed pending
// confirmation, answering itself when either is missing or refused.
func (h *widgetHandlers) openPending(c *gin.Context) (*widgetView, *widget.Pending, bool) {
	link, cat, ok := h.open(c)
	if !ok {
		return nil, nil, false
	}
	v := h.newWidgetView(c, link, cat)
	p, err := h.flow.OpenPending(link, c.PostForm("p"))
	if err != nil {
		h.expired(c, v, err)
		return nil, nil, false
	}
	return v, p, true
}

func (h *widgetHandlers) showVerify(c *gin.Context, v *widgetView, status int, p *widget.Pending) {
	token, err := h.flow.SealPending(p)
	if err != nil {
		h.serverError(c, err)
		return
	}
	v.relinkToContact(&p.Selection)
	page := &widgetVerifyPage{Token: token, Phone: p.Phone, Wait: p.Selection.Wait}
	if h.devCodes != nil {
		page.DevCode = h.devCodes(p.Phone)
	}
	v.Page, v.Title = page, v.L.T("widget_verify_title")
	h.render(c, status, "widget_verify", v)
}

// showVerifyDone answers a phone that used up its tries: no code field,
// only the way back to start again later.
func (h *widgetHandlers) showVerifyDone(c *gin.Context, v *widgetView, p *widget.Pending) {
	v.Page, v.Title = &widgetVerifyPage{Phone: p.Phone, Done: true, EditURL: v.URL("/w/" + v.Link.Slug)}, v.L.T("widget_verify_title")
	h.render(c, http.StatusTooManyRequests, "widget_verify", v)
}
