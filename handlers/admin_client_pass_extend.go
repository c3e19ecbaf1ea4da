package handlers

import (
	"context"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// clientPassExtend adds days to a pass's validity.
func (h *adminHandlers) clientPassExtend(c *gin.Context) {
	raw := strings.TrimSpace(c.PostForm("days"))
	h.changeClientPass(c, clientPassChange{done: "extended", field: "days", values: map[string]string{"days": raw},
		apply: func(ctx context.Context, t clientPassTarget) error {
			fe := booking.FieldErrors{}
			days := settingsInt(fe, "days", raw)
			if len(fe) > 0 {
				return fe
			}
			return passDone(h.store.ExtendPass(ctx, t.ref, days, t.userID))
		}})
}
