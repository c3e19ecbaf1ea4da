package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"log/slog"
	"strconv"
	"time"
)

// DevVerifier stands in for Twilio Verify without credentials. Its codes
// are derived from the server secret, the phone and a ten-minute window, so
// every process computes the same code without storing it; the code is
// logged, and demo mode shows it on the confirmation step.
type DevVerifier struct {
	Secret string
	Log    *slog.Logger
	Now    func() time.Time
}

const devCodeWindow = 10 * time.Minute

// Code is the phone's current code.
func (d *DevVerifier) Code(phone string) string { return d.code(phone, d.now()) }

func (d *DevVerifier) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *DevVerifier) code(phone string, at time.Time) string {
	m := hmac.New(sha256.New, []byte(d.Secret))
	fmt.Fprintf(m, "verify|%s|%d", phone, at.Unix()/int64(devCodeWindow/time.Second))
	n := binary.BigEndian.Uint32(m.Sum(nil)) % 1000000
	return fmt.Sprintf("%06d", n)
}

// Start logs the code instead of sending it.
func (d *DevVerifier) Start(_ context.Context, phone, lang string) error {
	if d.Log != nil {
		d.Log.Info("development SMS: verification code", "to", phone, "lang", lang, "code", d.Code(phone))
	}
	return nil
}

// Check accepts the current window's code and the previous one's, so a
// code sent just before a window ends still works.
func (d *DevVerifier) Check(_ context.Context, phone, code string) (bool, error) {
	if _, err := strconv.Atoi(code); err != nil || len(code) != 6 {
		return false, nil
	}
	now := d.now()
	for _, at := range []time.Time{now, now.Add(-devCodeWindow)} {
		if hmac.Equal([]byte(code), []byte(d.code(phone, at))) {
			return true, nil
		}
	}
	return false, nil
}
