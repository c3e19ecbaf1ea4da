package main

import (
	"fmt"
	"log/slog"

	"groupbook/assets"
	"groupbook/booking"
	"groupbook/handlers"
	"groupbook/locales"
	"groupbook/widget"
)

// buildDeps loads everything the handlers need that is parsed once at
// start: translations, static files and templates, and the SMS sender and
// verifier. Any broken file stops the server here rather than in front of a
// client. demo lets the widget show the development codes.
func buildDeps(store *booking.Store, log *slog.Logger, cfg Config, secret string, demo bool) (handlers.Deps, error) {
	bundle, err := locales.Load()
	if err != nil {
		return handlers.Deps{}, fmt.Errorf("load translations: %w", err)
	}
	bundle.Report = func(lang, id string, err error) {
		log.Warn("translation problem", "lang", lang, "id", id, "err", err)
	}
	a, err := assets.New()
	if err != nil {
		return handlers.Deps{}, fmt.Errorf("load assets: %w", err)
	}
	views, err := handlers.NewViews(a)
	if err != nil {
		return handlers.Deps{}, fmt.Errorf("parse templates: %w", err)
	}
	sms, err := buildSMS(cfg, log, secret, demo)
	if err != nil {
		return handlers.Deps{}, err
	}
	return handlers.Deps{
		Store: store, Log: log, BaseURL: cfg.BaseURL, Secret: secret,
		Flow:    widget.NewFlow(store, widget.NewSigner(secret)),
		Locales: bundle, Assets: a, Views: views,
		Sender: sms.sender, Verifier: sms.verifier, DevCodes: sms.devCodes,
		TwilioAuthToken: cfg.Twilio.AuthToken,
		Payments:        buildPayments(cfg, log), StripeWebhookSecret: cfg.Stripe.WebhookSecret,
		RequestTimeout: serverTimeouts(cfg.RequestTimeout).request,
		TrustedProxies: cfg.TrustedProxies,
	}, nil
}
