package main

import (
	"net/http"
	"strings"
	"testing"

	"groupbook/booking/booktest"
)

// stripeEnv is a complete Stripe configuration in Stripe's shapes.
func stripeEnv() map[string]string {
	return map[string]string{
		EnvStripeSecretKey:     "sk_test_51groupbook0123456789abcdef",
		EnvStripeWebhookSecret: "whsec_0123456789abcdefghij",
	}
}

func TestConfigStripe(t *testing.T) {
	cfg, err := parseTestConfig(stripeEnv())
	must(t, err)
	if !cfg.HasStripe() || cfg.Stripe.SecretKey != stripeEnv()[EnvStripeSecretKey] ||
		cfg.Stripe.WebhookSecret != stripeEnv()[EnvStripeWebhookSecret] || cfg.Stripe.APIURL != "" || cfg.NoJobWorker {
		t.Errorf("config %+v", cfg)
	}
	cfg, err = parseTestConfig(with(stripeEnv(), EnvStripeSecretKey, "rk_live_abcdef0123456789", EnvStripeAPIURL, "http://127.0.0.1:12111/"))
	if err != nil || cfg.Stripe.SecretKey != "rk_live_abcdef0123456789" || cfg.Stripe.APIURL != "http://127.0.0.1:12111" {
		t.Errorf("restricted key and API URL: %+v, %v", cfg.Stripe, err)
	}
	cfg, err = parseTestConfig(nil)
	if err != nil || cfg.HasStripe() || cfg.NoJobWorker {
		t.Errorf("defaults: %+v, %v", cfg, err)
	}
	cfg, err = parseTestConfig(nil, "-job-worker=false")
	if err != nil || !cfg.NoJobWorker {
		t.Errorf("job worker off: %+v, %v", cfg, err)
	}
}

// TestConfigStripeAllOrNothing: a partial or malformed Stripe setup
// stops the start with errors that name the variables and never echo a
// key.
func TestConfigStripeAllOrNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"key alone", map[string]string{EnvStripeSecretKey: stripeEnv()[EnvStripeSecretKey]},
			EnvStripeWebhookSecret + ": must be set because " + EnvStripeSecretKey + " is set"},
		{"secret alone", map[string]string{EnvStripeWebhookSecret: stripeEnv()[EnvStripeWebhookSecret]},
			EnvStripeSecretKey + ": must be set because " + EnvStripeWebhookSecret + " is set"},
		{"api url alone", map[string]string{EnvStripeAPIURL: "http://127.0.0.1:12111"}, EnvStripeAPIURL + ": only means something with"},
		{"publishable key", with(stripeEnv(), EnvStripeSecretKey, "pk_test_51groupbooksecretvalue"), EnvStripeSecretKey + ": must be a secret key (sk_test_..., sk_live_...) or a restricted key (rk_...), got pk_..."},
		{"key with space", with(stripeEnv(), EnvStripeSecretKey, "sk_test_51groupbook secretvalue"), EnvStripeSecretKey + ": must be a secret key"},
		{"secret swapped", with(stripeEnv(), EnvStripeWebhookSecret, "sk_test_51groupbooksecretvalue"), EnvStripeWebhookSecret + ": must be the webhook endpoint's signing secret"},
		{"api url relative", with(stripeEnv(), EnvStripeAPIURL, "localhost:12111"), EnvStripeAPIURL + ": must be an absolute"},
		{"worker switch", map[string]string{EnvJobWorker: "maybe"}, EnvJobWorker + `: must be true or false, got "maybe"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseTestConfig(tc.env)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains("\n"+err.Error(), "\n"+tc.want) {
				t.Errorf("error %q lacks a line starting %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "secretvalue") {
				t.Errorf("error %q repeats a key", err)
			}
		})
	}
}

// TestServeWithStripe: with Stripe configured the webhook route exists
// (an unsigned delivery is refused with 400) and the job worker runs;
// without it the route is absent and the log says why. No key reaches
// the log.
func TestServeWithStripe(t *testing.T) {
	for _, on := range []bool{true, false} {
		addr := freeAddr(t)
		base := "http://" + addr
		env := map[string]string{EnvAddr: addr, EnvDatabaseURL: booktest.URL(t, booktest.SQLite), EnvSMSWorker: "false"}
		if on {
			env = with(stripeEnv(), EnvAddr, addr, EnvDatabaseURL, env[EnvDatabaseURL], EnvSMSWorker, "false", EnvStripeAPIURL, "http://127.0.0.1:1")
		}
		s := startCmd(t, env)
		s.waitReady(t, base)
		resp, err := http.Post(base+"/hooks/stripe", "application/json", strings.NewReader(`{"id":"evt_1","type":"checkout.session.completed"}`))
		must(t, err)
		resp.Body.Close()
		want := map[bool]int{true: http.StatusBadRequest, false: http.StatusNotFound}[on]
		if resp.StatusCode != want {
			t.Errorf("stripe %v: unsigned webhook %d, want %d", on, resp.StatusCode, want)
		}
		must(t, s.stop(t))
		logs := s.stderr.String()
		wantLogs := []string{`"msg":"job worker started"`, `"msg":"online payment: off"`}
		if on {
			wantLogs = []string{`"msg":"job worker started"`, `"msg":"online payment: Stripe"`, `"mode":"test"`, `"msg":"stripe webhook: refused"`}
		}
		for _, w := range wantLogs {
			if !strings.Contains(logs, w) {
				t.Errorf("stripe %v: log lacks %s:\n%s", on, w, logs)
			}
		}
		if strings.Contains(logs, stripeEnv()[EnvStripeSecretKey]) || strings.Contains(logs, stripeEnv()[EnvStripeWebhookSecret]) {
			t.Error("a Stripe secret is in the log")
		}
	}
}
