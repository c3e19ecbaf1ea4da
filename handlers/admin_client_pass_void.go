package handlers

import (
	"context"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// clientPassVoid ends a pass for good, with the reason staff give.
func (h *adminHandlers) clientPassVoid(c *gin.Context) {
	reason := c.PostForm("void_reason")
	h.changeClientPass(c, clientPassChange{done: "voided", field: "void_reason", values: map[string]string{"void_reason": reason},
		rename: map[string]string{"reason": "void_reason"},
		apply: func(ctx context.Context, t clientPassTarget) error {
			if strings.TrimSpace(reason) == "" {
				return booking.FieldErrors{"void_reason": booking.MsgRequired}
			}
			return passDone(h.store.VoidPass(ctx, t.ref, reason, t.userID))
		}})
}
