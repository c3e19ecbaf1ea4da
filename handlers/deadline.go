package handlers

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"
)

// DefaultRequestTimeout is the deadline of a request when Deps sets none.
const DefaultRequestTimeout = 10 * time.Second

// requestDeadline gives every request a deadline: each query it runs is
// cancelled when it passes, so a hung database makes a request fail in
// time (with "try again in a moment") instead of holding the client, a
// connection and a goroutine for as long as the database is stuck.
func requestDeadline(timeout time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), timeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// outcomeCheck is the most of a request's time kept back for finding out
// whether a write whose answer was lost happened after all.
const outcomeCheck = 2 * time.Second

// splitDeadline gives a write most of the time left to ctx and keeps the
// rest, a quarter at most, for looking up its outcome if the write's
// answer is lost, so that look-up still ends within the request's deadline.
// It returns the write's context and the time kept back.
func splitDeadline(ctx context.Context) (context.Context, context.CancelFunc, time.Duration) {
	deadline, ok := ctx.Deadline()
	if !ok {
		c, cancel := context.WithCancel(ctx)
		return c, cancel, outcomeCheck
	}
	kept := min(outcomeCheck, time.Until(deadline)/4)
	c, cancel := context.WithDeadline(ctx, deadline.Add(-kept))
	return c, cancel, kept
}
