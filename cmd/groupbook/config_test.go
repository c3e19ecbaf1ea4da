package main

import (
	"errors"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"
)

func parseTestConfig(env map[string]string, args ...string) (Config, error) {
	fs := newFlagSet("test", io.Discard)
	src := bindConfig(fs, envOf(env), nil)
	if err := parseFlags(fs, args); err != nil {
		return Config{}, err
	}
	return src.Config()
}

func TestConfigDefaults(t *testing.T) {
	cfg, err := parseTestConfig(nil)
	must(t, err)
	want := Config{Addr: ":8080", DatabaseURL: "groupbook.db", BaseURL: "http://localhost:8080", DBMaxConns: 20, LogLevel: slog.LevelInfo, RequestTimeout: 10 * time.Second}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("defaults = %+v, want %+v", cfg, want)
	}
}

func TestConfigFromEnvAndFlags(t *testing.T) {
	env := map[string]string{
		EnvAddr:        "127.0.0.1:9000",
		EnvDatabaseURL: "postgres://gb:pw@db:5432/gb?sslmode=disable",
		EnvBaseURL:     "https://book.example.com/",
		EnvSecret:      strings.Repeat("s", 32),
		EnvDBMaxConns:  "7",
		EnvLogLevel:    "WARN",
	}
	cfg, err := parseTestConfig(env)
	must(t, err)
	want := Config{
		Addr: "127.0.0.1:9000", DatabaseURL: env[EnvDatabaseURL], BaseURL: "https://book.example.com",
		Secret: env[EnvSecret], DBMaxConns: 7, LogLevel: slog.LevelWarn, RequestTimeout: 10 * time.Second,
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("from env = %+v, want %+v", cfg, want)
	}

	cfg, err = parseTestConfig(env, "-addr", ":9100", "--log-level", "debug", "-database-url", "other.db")
	must(t, err)
	if cfg.Addr != ":9100" || cfg.LogLevel != slog.LevelDebug || cfg.DatabaseURL != "other.db" || cfg.DBMaxConns != 7 {
		t.Errorf("flags did not override env: %+v", cfg)
	}

	cfg, err = parseTestConfig(map[string]string{EnvRequestTimeout: "4s"})
	must(t, err)
	if cfg.RequestTimeout != 4*time.Second {
		t.Errorf("%s=4s: %v", EnvRequestTimeout, cfg.RequestTimeout)
	}
	cfg, err = parseTestConfig(map[string]string{EnvTrustedProxies: " 10.0.0.0/8, 192.0.2.7 ,"}, "-trusted-proxies", "10.0.0.0/8,192.0.2.7,2001:db8::/32")
	must(t, err)
	if want := []string{"10.0.0.0/8", "192.0.2.7", "2001:db8::/32"}; !reflect.DeepEqual(cfg.TrustedProxies, want) {
		t.Errorf("trusted proxies = %q, want %q", cfg.TrustedProxies, want)
	}
	cfg, err = parseTestConfig(map[string]string{EnvRequestTimeout: "4s"})
	must(t, err)
	if cfg.RequestTimeout != 4*time.Second {
		t.Errorf("%s=4s: %v", EnvRequestTimeout, cfg.RequestTimeout)
	}
	cfg, err = parseTestConfig(map[string]string{EnvRequestTimeout: "4s"}, "-request-timeout", "1500ms")
	if err == nil {
		t.Errorf("-request-timeout 1500ms accepted: %v", cfg.RequestTimeout)
	}
}

func TestConfigBaseURLFollowsPort(t *testing.T) {
	for addr, want := range map[string]string{
		":9090":          "http://localhost:9090",
		"0.0.0.0:9090":   "http://localhost:9090",
		"127.0.0.1:9091": "http://127.0.0.1:9091",
		"[::]:9092":      "http://localhost:9092",
	} {
		cfg, err := parseTestConfig(map[string]string{EnvAddr: addr})
		must(t, err)
		if cfg.BaseURL != want {
			t.Errorf("addr %s: base URL %q, want %q", addr, cfg.BaseURL, want)
		}
	}
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string // the error starts with this, then says what is wrong
	}{
		{"addr without port", map[string]string{EnvAddr: "localhost"}, nil, EnvAddr + ": must be host:port"},
		{"addr port too big", map[string]string{EnvAddr: ":99999"}, nil, EnvAddr + ": port must be a number"},
		{"mysql url", map[string]string{EnvDatabaseURL: "mysql://db/gb"}, nil, EnvDatabaseURL + ": must be a postgres:// URL or an SQLite file path"},
		{"in-memory sqlite", map[string]string{EnvDatabaseURL: "file::memory:"}, nil, EnvDatabaseURL + ": in-memory SQLite is not supported"},
		{"bad postgres url", map[string]string{EnvDatabaseURL: "postgres://u:p@host:port/db"}, nil, EnvDatabaseURL + ": is not a valid postgres:// URL"},
		{"base url without scheme", map[string]string{EnvBaseURL: "book.example.com"}, nil, EnvBaseURL + ": must be an absolute http:// or https:// URL"},
		{"base url ftp", map[string]string{EnvBaseURL: "ftp://book.example.com"}, nil, EnvBaseURL + ": must be an absolute"},
		{"base url with query", map[string]string{EnvBaseURL: "https://book.example.com/?a=b"}, nil, EnvBaseURL + ": must not have a query"},
		{"base url with fragment", map[string]string{EnvBaseURL: "https://book.example.com/#x"}, nil, EnvBaseURL + ": must not have a query"},
		{"short secret", map[string]string{EnvSecret: "too-short"}, nil, EnvSecret + ": must be at least 32 characters, got 9"},
		{"max conns not a number", map[string]string{EnvDBMaxConns: "abc"}, nil, EnvDBMaxConns + `: must be a positive integer, got "abc"`},
		{"max conns zero", map[string]string{EnvDBMaxConns: "0"}, nil, EnvDBMaxConns + `: must be a positive integer, got "0"`},
		{"max conns negative", map[string]string{EnvDBMaxConns: "-3"}, nil, EnvDBMaxConns + `: must be a positive integer, got "-3"`},
		{"log level", map[string]string{EnvLogLevel: "verbose"}, nil, EnvLogLevel + `: must be debug, info, warn or error, got "verbose"`},
		{"bad flag names the flag", nil, []string{"-db-max-conns", "x"}, `-db-max-conns: must be a positive integer, got "x"`},
		{"request timeout without unit", map[string]string{EnvRequestTimeout: "10"}, nil, EnvRequestTimeout + `: must be a duration from 2s to 1m0s such as "10s", got "10"`},
		{"request timeout too short", map[string]string{EnvRequestTimeout: "500ms"}, nil, EnvRequestTimeout + ": must be a duration from 2s"},
		{"trusted proxy not an address", map[string]string{EnvTrustedProxies: "10.0.0.0/8,proxy.local"}, nil, EnvTrustedProxies + `: must be IP addresses or CIDR ranges separated by commas, got "proxy.local"`},
		{"request timeout too long", nil, []string{"-request-timeout", "5m"}, "-request-timeout: must be a duration from 2s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTestConfig(tt.env, tt.args...)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to start with %q", err, tt.want)
			}
		})
	}
}

func TestConfigSecretNeverEchoed(t *testing.T) {
	_, err := parseTestConfig(map[string]string{EnvSecret: "hunter2-but-short"})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error = %v, want one that does not repeat the secret", err)
	}
}

func TestConfigReportsEveryBadValue(t *testing.T) {
	_, err := parseTestConfig(map[string]string{EnvDBMaxConns: "abc", EnvLogLevel: "loud"})
	for _, v := range []string{EnvDBMaxConns, EnvLogLevel} {
		if err == nil || !strings.Contains(err.Error(), v) {
			t.Errorf("error = %v, want it to name %s", err, v)
		}
	}
}

func TestRunRejectsBadConfigAndUsage(t *testing.T) {
	err, _, _ := runCmd(t, map[string]string{EnvDBMaxConns: "abc"}, "", "serve")
	if err == nil || err.Error() != EnvDBMaxConns+`: must be a positive integer, got "abc"` {
		t.Errorf("serve with a bad variable: %v", err)
	}
	err, _, _ = runCmd(t, nil, "", "frobnicate")
	if !errors.Is(err, errUsage) {
		t.Errorf("unknown command: %v, want a usage error", err)
	}
	err, _, _ = runCmd(t, nil, "", "migrate", "extra")
	if !errors.Is(err, errUsage) {
		t.Errorf("stray argument: %v, want a usage error", err)
	}
	if err, _, stderr := runCmd(t, nil, "", "serve", "-h"); err != nil || !strings.Contains(stderr, "-db-max-conns") {
		t.Errorf("serve -h: %v, help %q", err, stderr)
	}
}

func TestRunHelp(t *testing.T) {
	for _, arg := range []string{"help", "-h", "--help"} {
		err, out, _ := runCmd(t, nil, "", arg)
		if err != nil || !strings.Contains(out, "admin create") {
			t.Errorf("%s: %v, printed %q", arg, err, out)
		}
	}
}
