package handlers

import (
	"context"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// reserveForStaff books the add form's request. When the database fails
// in a way that leaves the outcome unknown, the request key is looked up
// within the time kept back for it: a booking found is a success (nil).
func (h *adminHandlers) reserveForStaff(c *gin.Context, req booking.ReserveRequest) error {
	ctx, cancel, kept := splitDeadline(c.Request.Context())
	defer cancel()
	_, err := h.store.Reserve(ctx, req)
	if err == nil || !booking.Unavailable(err) {
		return err
	}
	lookup, cancelLookup := context.WithTimeout(context.WithoutCancel(c.Request.Context()), kept)
	defer cancelLookup()
	if g, lookupErr := h.store.GroupByKey(lookup, req.Key); lookupErr == nil {
		h.log.Warn("staff booking committed although its answer was lost", "err", err, "group", g.ID, "request_id", RequestID(c))
		return nil
	}
	return err
}

// addClientUnsure answers an add form whose booking may or may not have
// been made: the form comes back as sent, with its request key, and says
// so; adding again is safe, since the key returns the first result. It
// reports whether err was such an error.
func (h *adminHandlers) addClientUnsure(c *gin.Context, v *adminView, err error) bool {
	if !booking.Unavailable(err) {
		return false
	}
	h.log.Warn("admin: staff booking outcome unknown", "err", err, "request_id", RequestID(c))
	v.alert("error", v.L.T("admin_event_add_unsure"))
	c.Header("Retry-After", strconv.Itoa(retryAfterSeconds))
	return true
}
