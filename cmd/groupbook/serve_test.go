package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"groupbook/booking"
	"groupbook/booking/booktest"
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
