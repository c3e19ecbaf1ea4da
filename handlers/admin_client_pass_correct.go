package handlers

import (
	"context"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// clientPassCorrect adds or takes away visits, with the reason staff give:
// the ledger keeps both, the balance is never edited in place.
func (h *adminHandlers) clientPassCorrect(c *gin.Context) {
	raw, reason := strings.TrimSpace(c.PostForm("delta")), c.PostForm("reason")
	h.changeClientPass(c, clientPassChange{done: "corrected", field: "delta", rename: map[string]string{"visits": "delta"}, values: map[string]string{"delta": raw, "reason": reason},
		apply: func(ctx context.Context, t clientPassTarget) error {
			fe := booking.FieldErrors{}
			delta := settingsInt(fe, "delta", strings.TrimPrefix(raw, "+"))
			if strings.TrimSpace(reason) == "" {
				fe["reason"] = booking.MsgRequired
			}
			if len(fe) > 0 {
				return fe
			}
			return passDone(h.store.CorrectPass(ctx, t.ref, delta, reason, t.userID))
		}})
}
