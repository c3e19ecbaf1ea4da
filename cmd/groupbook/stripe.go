package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"groupbook/booking"
	"groupbook/payments"
)

// parseStripeKey checks the API key's shape: a secret key (sk_test_,
// sk_live_) or a restricted one (rk_...). A publishable key (pk_...) is
// the usual copy-and-paste mistake, and Stripe would refuse every call
// long after the start.
func parseStripeKey(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	ok := (strings.HasPrefix(v, "sk_") || strings.HasPrefix(v, "rk_")) && len(v) >= 16
	for _, r := range v {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			ok = false
		}
	}
	if !ok {
		// Never echo a secret, not even a bad one; its prefix says which
		// key was pasted.
		prefix := v
		if i := strings.IndexByte(v, '_'); i >= 0 && i < 3 {
			prefix = v[:i+1] + "..."
		} else {
			prefix = "something else"
		}
		return "", fmt.Errorf("must be a secret key (sk_test_..., sk_live_...) or a restricted key (rk_...), got %s (%d characters)", prefix, len(v))
	}
	return v, nil
}

// parseStripeWebhookSecret checks the endpoint's signing secret.
func parseStripeWebhookSecret(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if !strings.HasPrefix(v, "whsec_") || len(v) < 12 || strings.ContainsAny(v, " \t\n") {
		return "", fmt.Errorf("must be the webhook endpoint's signing secret, whsec_ followed by letters and digits (%d characters given)", len(v))
	}
	return v, nil
}

// parseStripeAPIURL checks the optional API base URL.
func parseStripeAPIURL(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.User != nil {
		return "", fmt.Errorf("must be an absolute http:// or https:// URL without query or user, got %q", v)
	}
	return strings.TrimRight(v, "/"), nil
}

// stripeComplete checks that Stripe is configured all or nothing: a key
// without the webhook secret would take money whose confirmation nobody
// could verify (every booking stuck "pending"), a secret without a key
// would verify payments never asked for.
func stripeComplete(values map[string]*string) []error {
	set := func(env string) bool { return *values[env] != "" }
	key, secret, api := set(EnvStripeSecretKey), set(EnvStripeWebhookSecret), set(EnvStripeAPIURL)
	switch {
	case key && !secret:
		return []error{fmt.Errorf("%s: must be set because %s is set (the signing secret of the webhook endpoint BASE_URL/hooks/stripe in the Stripe dashboard)", EnvStripeWebhookSecret, EnvStripeSecretKey)}
	case secret && !key:
		return []error{fmt.Errorf("%s: must be set because %s is set (online payment needs both)", EnvStripeSecretKey, EnvStripeWebhookSecret)}
	case api && !key:
		return []error{fmt.Errorf("%s: only means something with %s and %s", EnvStripeAPIURL, EnvStripeSecretKey, EnvStripeWebhookSecret)}
	}
	return nil
}

// buildPayments returns the Stripe provider, or nil without Stripe;
// saying which at start matters, as for SMS.
func buildPayments(cfg Config, log *slog.Logger) payments.Provider {
	if !cfg.HasStripe() {
		log.Info("online payment: off", "hint", "set "+EnvStripeSecretKey+" and "+EnvStripeWebhookSecret+" to take payments with Stripe")
		return nil
	}
	mode := "live"
	if strings.Contains(cfg.Stripe.SecretKey, "_test_") {
		mode = "test"
	}
	log.Info("online payment: Stripe", "mode", mode, "webhook", cfg.BaseURL+"/hooks/stripe", "api_url", cfg.Stripe.APIURL)
	return payments.NewStripe(cfg.Stripe)
}

// startJobWorker runs the payment job worker in the background, unless
// the configuration turns it off. It runs without Stripe too: holds taken
// before Stripe was turned off must still run out. The returned stop
// cancels it and waits for the jobs in flight; calling it again does
// nothing.
func startJobWorker(cfg Config, store *booking.Store, provider payments.Provider, log *slog.Logger) (stop func()) {
	if cfg.NoJobWorker {
		log.Info("payment job worker off in this process", "variable", EnvJobWorker)
		return func() {}
	}
	w := &payments.Worker{Store: store, Provider: provider, Log: log}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := w.Run(ctx); err != nil {
			log.Error("payment job worker", "err", err)
		}
	}()
	return sync.OnceFunc(func() {
		cancel()
		<-done
	})
}
