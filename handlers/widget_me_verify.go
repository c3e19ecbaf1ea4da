package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/notify"
	"groupbook/widget"
)

// openMePending loads the link and the My bookings code form's signed
// pending confirmation, answering itself when either is refused.
func (h *widgetHandlers) openMePending(c *gin.Context) (*widgetView, *widget.MePending, bool) {
	link, cat, ok := h.open(c)
	if !ok {
		return nil, nil, false
	}
	v := h.newWidgetView(c, link, cat)
	p, err := h.flow.OpenMePending(link, c.PostForm("p"))
	if err != nil {
		h.meRefused(c, v, err)
		return nil, nil, false
	}
	return v, p, true
}

// meVerify checks the code; a right one leads to the client's page by a
// signed token that holds ids, not the phone (it goes in the URL).
func (h *widgetHandlers) meVerify(c *gin.Context) {
	v, p, ok := h.openMePending(c)
	if !ok {
		return
	}
	code := strings.Join(strings.Fields(c.PostForm("code")), "")
	if code == "" {
		// Not a try: nothing is counted against the phone.
		v.Errors = map[string]string{"code": v.L.T(booking.MsgRequired)}
		h.showMeCode(c, v, http.StatusUnprocessableEntity, p.Phone)
		return
	}
	err := h.flow.CheckCode(c.Request.Context(), h.codes, p.Phone, code)
	switch {
	case err == nil:
		token, err := h.flow.SealMe(c.Request.Context(), v.Link, p.Phone)
		if err != nil {
			h.serverError(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, v.URL("/w/"+v.Link.Slug+"/me/"+token))
	case errors.Is(err, widget.ErrWrongCode):
		v.Errors = map[string]string{"code": v.L.T("widget_verify_wrong_code")}
		h.showMeCode(c, v, http.StatusUnprocessableEntity, p.Phone)
	case errors.Is(err, widget.ErrTooManyWrong):
		v.alert("error", v.L.T("widget_verify_too_many_wrong"))
		h.showMeDone(c, v)
	case errors.Is(err, notify.ErrVerifyExpired):
		v.Errors = map[string]string{"code": v.L.T("widget_verify_expired")}
		h.showMeCode(c, v, http.StatusUnprocessableEntity, p.Phone)
	case errors.Is(err, notify.ErrVerifyExhausted):
		h.log.Info("my bookings: verification refused by the provider", "err", err, "request_id", c.GetString(ctxRequestID))
		v.alert("error", v.L.T("widget_verify_exhausted"))
		h.showMeDone(c, v)
	case errors.Is(err, notify.ErrVerifyInvalidPhone):
		v.Errors = map[string]string{"phone": v.L.T("widget_verify_cannot_send")}
		v.alert("error", v.L.T("widget_fix_errors"))
		h.showMePhone(c, v, http.StatusUnprocessableEntity, p.Phone)
	default:
		h.log.Warn("my bookings: verification check failed", "err", err, "request_id", c.GetString(ctxRequestID))
		v.alert("error", v.L.T("widget_verify_unavailable"))
		h.showMeCode(c, v, http.StatusBadGateway, p.Phone)
	}
}

// meResend sends a new code after the cooldown.
func (h *widgetHandlers) meResend(c *gin.Context) {
	v, p, ok := h.openMePending(c)
	if !ok {
		return
	}
	h.meSend(c, v, p.Phone, true)
}

// showMeDone answers a phone that used up its tries: no code field, only
// the way to start again later.
func (h *widgetHandlers) showMeDone(c *gin.Context, v *widgetView) {
	v.relink("/w/"+v.Link.Slug+"/me", nil)
	v.Page, v.Title = &widgetMeCodePage{Done: true, StartURL: v.URL("/w/" + v.Link.Slug + "/me")}, v.L.T("me_title")
	h.render(c, http.StatusTooManyRequests, "widget_me_code", v)
}
