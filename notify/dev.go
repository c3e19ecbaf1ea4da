package notify

import (
	"context"
	"log/slog"
	"strconv"
	"sync/atomic"
)

// DevSender stands in for Twilio without credentials: it logs each message
// instead of sending it, so the whole outbox path runs on a laptop.
type DevSender struct {
	Log *slog.Logger
	n   atomic.Int64
}

// Send logs m and returns a made-up sid. The sids restart with the
// process; nothing reports delivery for them, so they only need to be
// distinct from Twilio's ("SM...").
func (d *DevSender) Send(ctx context.Context, m Message) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	sid := "dev-" + strconv.FormatInt(d.n.Add(1), 10)
	if d.Log != nil {
		d.Log.InfoContext(ctx, "development SMS", "sid", sid, "to", m.To, "from", m.From, "body", m.Body)
	}
	return sid, nil
}
