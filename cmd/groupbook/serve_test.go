package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/handlers"
)

func TestServeStartsAndShutsDown(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			dsn := booktest.URL(t, kind)
			addr := freeAddr(t)
			base := "http://" + addr
			// No subcommand: serve is the default.
			s := startCmd(t, map[string]string{EnvAddr: addr, EnvDatabaseURL: dsn, EnvDBMaxConns: "5"})
			s.waitReady(t, base)

			resp, err := http.Get(base + "/healthz")
			must(t, err)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Request-ID") == "" ||
				resp.Header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("/healthz = %d with headers %v", resp.StatusCode, resp.Header)
			}

			if err := s.stop(t); err != nil {
				t.Fatalf("run returned %v after cancel, want nil", err)
			}
			logs := s.stderr.String()
			for _, want := range []string{`"msg":"listening"`, `"msg":"request"`, `"path":"/readyz"`, `"msg":"stopped"`} {
				if !strings.Contains(logs, want) {
					t.Errorf("JSON log lacks %s:\n%s", want, logs)
				}
			}
			if strings.Contains(logs, "[GIN") {
				t.Errorf("gin debug output in the log:\n%s", logs)
			}

			// serve generated the secret and stored it for the next start.
			db, err := booking.OpenDB(dsn, booking.DBOptions{MaxOpenConns: 1})
			must(t, err)
			defer db.Close()
			secret, err := booking.NewStore(db).SettingOrCreate(context.Background(), booking.SecretKey,
				func() (string, error) { return "not-stored-before", nil })
			must(t, err)
			if secret == "not-stored-before" || len(secret) < MinSecretLen {
				t.Errorf("stored secret = %q, want the one serve generated", secret)
			}
		})
	}
}

func TestServeFailsOnBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer ln.Close()
	err, _, _ = runCmd(t, map[string]string{EnvAddr: ln.Addr().String(), EnvDatabaseURL: booktest.URL(t, booktest.SQLite)}, "", "serve")
	if err == nil || !strings.Contains(err.Error(), "listen on "+ln.Addr().String()) {
		t.Errorf("serve on a busy port: %v", err)
	}
}

// TestServerTimeoutsFitTheDeadline: the limits derived from the request
// deadline keep the order that makes a hung database answer in time: a
// statement ends well before the request, the response can still be
// written after the deadline, and a shutdown waits for requests in flight.
func TestServerTimeoutsFitTheDeadline(t *testing.T) {
	for _, req := range []time.Duration{0, minRequestTimeout, 10 * time.Second, maxRequestTimeout} {
		to := serverTimeouts(req)
		if req == 0 && to.request != handlers.DefaultRequestTimeout {
			t.Errorf("default request timeout %v, want %v", to.request, handlers.DefaultRequestTimeout)
		}
		if !(to.statement > 0 && to.statement <= to.request/2) {
			t.Errorf("request %v: statement timeout %v, want at most half", to.request, to.statement)
		}
		if to.readHeader <= 0 || to.read < to.readHeader+to.request {
			t.Errorf("request %v: read header %v, read %v", to.request, to.readHeader, to.read)
		}
		if to.write <= to.request || to.shutdown <= to.request || to.idle <= 0 {
			t.Errorf("request %v: write %v, shutdown %v, idle %v", to.request, to.write, to.shutdown, to.idle)
		}
	}
	if to := serverTimeouts(10 * time.Second); to.shutdown >= 30*time.Second {
		t.Errorf("default shutdown %v: orchestrators kill after 30 s", to.shutdown)
	}
}
