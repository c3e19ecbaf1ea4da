package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

// widgetUnsurePage is the answer to a booking whose outcome is unknown:
// the same submission again, ready to be resent.
type widgetUnsurePage struct {
	Token string // the signed selection, with its request key
	Form  widget.ContactInput
	// Pay is the payment chosen (a pass id, payStudio, payOnline or
	// payBuyPrefix+type), so the retry has the first attempt's fingerprint.
	Pay string
}

// unknownOutcome answers a booking that failed without the core saying
// why: the database did not answer in time, or the connection broke,
// possibly after COMMIT was sent. Such a booking may exist, so the client
// must not be told it failed.
//
// The request key is looked up first, on a context of its own (the
// booking's may have expired) within the time kept back for it: a booking
// found is a success, answered as one. Otherwise the page says the booking
// may or may not have gone through and offers "Try again", a form that
// resends the same selection, contact and request key. Resending is safe
// whatever happened: the core returns the first result for a key it has
// (waiting, if that first COMMIT is still under way) and books otherwise.
func (h *widgetHandlers) unknownOutcome(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, pay string, err error, lookup time.Duration) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), lookup)
	defer cancel()
	g, lookupErr := h.flow.Store.GroupByKey(ctx, sel.Key)
	if lookupErr == nil {
		h.log.Warn("booking committed although its answer was lost", "err", err, "group", g.ID, "request_id", RequestID(c))
		c.Redirect(http.StatusSeeOther, v.URL("/m/"+g.Token, "new", "1"))
		return
	}
	unavailable := booking.Unavailable(err)
	level := slog.LevelError
	if unavailable {
		level = slog.LevelWarn
	}
	h.log.Log(ctx, level, "booking outcome unknown", "err", err, "lookup_err", lookupErr,
		"path", c.Request.URL.Path, "request_id", RequestID(c))
	token, sealErr := h.flow.Seal(sel) // the key is kept: Seal only makes one when there is none
	if sealErr != nil {
		h.serverError(c, sealErr)
		return
	}
	status := http.StatusInternalServerError
	if unavailable {
		status = http.StatusServiceUnavailable
		c.Header("Retry-After", strconv.Itoa(retryAfterSeconds))
	}
	v.Page, v.Title = &widgetUnsurePage{Token: token, Form: form, Pay: pay}, v.L.T("widget_unsure_title")
	h.render(c, status, "widget_unsure", v)
}
