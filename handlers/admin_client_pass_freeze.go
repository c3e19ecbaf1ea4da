package handlers

import (
	"context"

	"github.com/gin-gonic/gin"
)

// clientPassFreeze pauses a pass: it cannot be used while frozen, and the
// core adds the frozen days to its validity when it is unfrozen.
func (h *adminHandlers) clientPassFreeze(c *gin.Context) {
	h.changeClientPass(c, clientPassChange{done: "frozen", field: "freeze", apply: func(ctx context.Context, t clientPassTarget) error {
		return passDone(h.store.FreezePass(ctx, t.ref, t.userID))
	}})
}

// clientPassUnfreeze lets a frozen pass be used again.
func (h *adminHandlers) clientPassUnfreeze(c *gin.Context) {
	h.changeClientPass(c, clientPassChange{done: "unfrozen", field: "freeze", apply: func(ctx context.Context, t clientPassTarget) error {
		return passDone(h.store.UnfreezePass(ctx, t.ref, t.userID))
	}})
}
