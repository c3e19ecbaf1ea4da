package main

import (
	"context"
	"log/slog"
	"net"
	"net/url"
	"sync"

	"groupbook/booking"
	"groupbook/handlers"
	"groupbook/notify"
)

// smsParts are what sends SMS in this process.
type smsParts struct {
	sender   notify.Sender
	verifier notify.Verifier
	// devCodes reveals the development verifier's codes; demo mode only.
	devCodes func(phone string) string
}

// buildSMS uses Twilio when it is configured, else the development sender
// and verifier, which log instead of sending. Saying which at start matters:
// a server that silently logs its SMS looks like one whose SMS got lost.
func buildSMS(cfg Config, log *slog.Logger, secret string, demo bool) (smsParts, error) {
	if cfg.HasTwilio() {
		sender, err := notify.NewTwilioSender(cfg.Twilio)
		if err != nil {
			return smsParts{}, err
		}
		verifier, err := notify.NewTwilioVerifier(cfg.Twilio)
		if err != nil {
			return smsParts{}, err
		}
		log.Info("SMS: Twilio", "account_sid", cfg.Twilio.AccountSID, "from", cfg.Twilio.From,
			"messaging_service_sid", cfg.Twilio.MessagingServiceSID, "status_callback", statusCallbackURL(cfg))
		return smsParts{sender: sender, verifier: verifier}, nil
	}
	log.Info("SMS: development sender, messages are logged, not sent",
		"hint", "set "+EnvTwilioAccountSID+" and the other TWILIO_* variables to send them")
	dev := &notify.DevVerifier{Secret: secret, Log: log}
	p := smsParts{sender: &notify.DevSender{Log: log}, verifier: dev}
	if demo {
		// Only the demo shows codes on the page: anywhere else that would
		// make the phone confirmation prove nothing.
		p.devCodes = dev.Code
	}
	return p, nil
}

// statusCallbackURL is where Twilio reports delivery, or "" when Twilio
// could not reach the server (a localhost base URL): every report would
// then fail and clutter the account's debugger.
func statusCallbackURL(cfg Config) string {
	if !cfg.HasTwilio() {
		return ""
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return ""
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified())) {
		return ""
	}
	return cfg.BaseURL + "/hooks/twilio/status"
}

// startSMSWorker runs the outbox worker in the background, unless the
// configuration turns it off. The returned stop cancels it and waits until
// the calls in flight are recorded, so it must run before the database
// closes; calling it again does nothing.
func startSMSWorker(cfg Config, store *booking.Store, deps handlers.Deps, mail mailParts, log *slog.Logger) (stop func()) {
	if cfg.NoSMSWorker {
		log.Info("SMS worker off in this process", "variable", EnvSMSWorker)
		return func() {}
	}
	w := &notify.Worker{
		Store: store, Sender: deps.Sender, Locales: deps.Locales,
		Mailer: mail.mailer, MailDomain: mail.domain,
		BaseURL: cfg.BaseURL, StatusCallbackURL: statusCallbackURL(cfg),
		// The same bound as the Twilio client's own timeout.
		CallTimeout: notify.DefaultCallTimeout,
		Log:         log,
	}
	if cfg.Twilio.Timeout > 0 {
		w.CallTimeout = cfg.Twilio.Timeout
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := w.Run(ctx); err != nil {
			log.Error("SMS worker", "err", err)
		}
	}()
	return sync.OnceFunc(func() {
		cancel()
		<-done
	})
}
