package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"groupbook/booking"
	"groupbook/notify"
	"groupbook/payments"
)

// Environment variables that configure the server.
const (
	EnvAddr        = "GROUPBOOK_ADDR"
	EnvDatabaseURL = "GROUPBOOK_DATABASE_URL"
	EnvBaseURL     = "GROUPBOOK_BASE_URL"
	EnvSecret      = "GROUPBOOK_SECRET"
	EnvDBMaxConns  = "GROUPBOOK_DB_MAX_CONNS"
	EnvLogLevel    = "GROUPBOOK_LOG_LEVEL"
	EnvSMSWorker   = "GROUPBOOK_SMS_WORKER"
	// EnvRequestTimeout is every request's deadline; the database's
	// statement timeout and the HTTP server's timeouts follow from it.
	EnvRequestTimeout = "GROUPBOOK_REQUEST_TIMEOUT"
	// EnvTrustedProxies lists the reverse proxies whose X-Forwarded-For
	// names the client, for the per-address limits and the logs.
	EnvTrustedProxies = "GROUPBOOK_TRUSTED_PROXIES"

	// Twilio's variables keep the names of Twilio's own documentation and
	// tools, so an account's settings can be pasted as they are.
	EnvTwilioAccountSID          = "TWILIO_ACCOUNT_SID"
	EnvTwilioAuthToken           = "TWILIO_AUTH_TOKEN"
	EnvTwilioFrom                = "TWILIO_FROM"
	EnvTwilioMessagingServiceSID = "TWILIO_MESSAGING_SERVICE_SID"
	EnvTwilioVerifyServiceSID    = "TWILIO_VERIFY_SERVICE_SID"

	// Stripe's variables keep the names of Stripe's own documentation.
	EnvStripeSecretKey     = "STRIPE_SECRET_KEY"
	EnvStripeWebhookSecret = "STRIPE_WEBHOOK_SECRET"
	EnvStripeAPIURL        = "STRIPE_API_URL"
	// EnvJobWorker runs the payment job worker (hold expiry, refunds).
	EnvJobWorker = "GROUPBOOK_JOB_WORKER"
)

// MinSecretLen is the shortest GROUPBOOK_SECRET accepted: it keys the HMAC
// that protects the widget's state, so it must not be guessable.
const MinSecretLen = 32

// Config is the whole configuration of one process, validated.
type Config struct {
	Addr        string
	DatabaseURL string
	// BaseURL is absolute, http or https, without query or trailing slash.
	BaseURL    string
	Secret     string // empty: generated once and kept in the database
	DBMaxConns int
	LogLevel   slog.Level
	// Twilio is zero without credentials: SMS then go to the development
	// sender, which logs them.
	Twilio notify.TwilioConfig
	// Stripe is zero without keys: online payment is then unavailable.
	Stripe payments.Config
	// Mail is zero without SMTP_URL and MAIL_FROM: e-mails then go to the
	// development mailer, which logs them (mail.go).
	Mail notify.SMTPConfig
	// NoJobWorker turns off this process's payment job worker (on by
	// default, like the SMS worker).
	NoJobWorker bool
	// NoSMSWorker turns off this process's outbox worker (on by default,
	// so the zero Config runs one), e.g. to send from fewer processes.
	NoSMSWorker bool
	// RequestTimeout is every request's deadline (see serverTimeouts).
	RequestTimeout time.Duration
	// TrustedProxies are the addresses or CIDR ranges of reverse proxies
	// in front of the server; none by default.
	TrustedProxies []string
}

// HasStripe reports whether online payment is configured.
func (c Config) HasStripe() bool { return c.Stripe.SecretKey != "" }

// HasTwilio reports whether SMS go through Twilio.
func (c Config) HasTwilio() bool { return c.Twilio.AccountSID != "" }

// setting is one configuration value: its variable, its flag and default.
type setting struct {
	env   string
	flag  string // "" for no flag
	def   string
	usage string
}

// settings lists every variable. The secret has no flag on purpose: a
// command line is visible to every user of the machine through ps.
var settings = []setting{
	{EnvAddr, "addr", ":8080", "address to listen on, host:port"},
	{EnvDatabaseURL, "database-url", "groupbook.db", "postgres:// URL, or an SQLite file path"},
	{EnvBaseURL, "base-url", "", "public http(s) URL of the server (default http://localhost:<port of addr>)"},
	{EnvSecret, "", "", "signing secret, at least 32 characters (default: generated and stored in the database)"},
	{EnvDBMaxConns, "db-max-conns", "20", "most open database connections"},
	{EnvLogLevel, "log-level", "info", "debug, info, warn or error"},
	{EnvSMSWorker, "sms-worker", "true", "run the SMS outbox worker in this process (true or false)"},
	{EnvRequestTimeout, "request-timeout", "10s", "deadline of every request, e.g. 10s; database statements get half of it"},
	{EnvTrustedProxies, "trusted-proxies", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed"},
	// No flags for Twilio: the token must stay out of ps, and the others
	// only make sense with it.
	{EnvTwilioAccountSID, "", "", "Twilio account SID (AC...); unset: SMS are logged, not sent"},
	{EnvTwilioAuthToken, "", "", "Twilio auth token"},
	{EnvTwilioFrom, "", "", "Twilio sender: a phone number in E.164 or an alphanumeric sender id"},
	{EnvTwilioMessagingServiceSID, "", "", "Twilio messaging service SID (MG...), instead of TWILIO_FROM"},
	{EnvTwilioVerifyServiceSID, "", "", "Twilio Verify service SID (VA...) for phone confirmation codes"},
	// No flags for Stripe either: the keys must stay out of ps.
	{EnvStripeSecretKey, "", "", "Stripe secret or restricted API key (sk_... or rk_...); unset: online payment is unavailable"},
	{EnvStripeWebhookSecret, "", "", "signing secret of the Stripe webhook endpoint BASE_URL/hooks/stripe (whsec_...)"},
	{EnvStripeAPIURL, "", "", "Stripe API base URL, for a local fake or proxy (default https://api.stripe.com)"},
	{EnvSMTPURL, "", "", "SMTP server: smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; unset: e-mails are logged, not sent"},
	{EnvMailFrom, "", "", "sender address of e-mails, e.g. bookings@example.com; required with " + EnvSMTPURL},
	{EnvJobWorker, "job-worker", "true", "run the payment job worker (hold expiry, refunds) in this process (true or false)"},
}

// configSource reads the settings from the environment and lets flags on
// the command line override them.
type configSource struct {
	fs     *flag.FlagSet
	values map[string]*string // by variable name
	flags  map[string]string  // variable name by flag name
}

// newFlagSet returns a flag set that reports errors instead of exiting, so
// tests can run commands in-process.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// bindConfig registers a flag for every setting on fs. A flag's default is
// the environment's value (or the built-in default, possibly replaced by
// defaults), so a flag given on the command line wins over the variable.
func bindConfig(fs *flag.FlagSet, env func(string) string, defaults map[string]string) *configSource {
	src := &configSource{fs: fs, values: map[string]*string{}, flags: map[string]string{}}
	for _, s := range settings {
		v := s.def
		if d, ok := defaults[s.env]; ok {
			v = d
		}
		if e := env(s.env); e != "" {
			v = e
		}
		p := &v
		if s.flag != "" {
			fs.StringVar(p, s.flag, v, s.usage+" ["+s.env+"]")
			src.flags[s.flag] = s.env
		}
		src.values[s.env] = p
	}
	return src
}

// parseFlags parses args and refuses positional arguments, which no command
// takes.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

// Config validates every setting and returns them all, or one error that
// lists each bad value by the name the user set it under.
func (src *configSource) Config() (Config, error) {
	given := map[string]string{} // variable name → flag that overrode it
	src.fs.Visit(func(f *flag.Flag) {
		if env, ok := src.flags[f.Name]; ok {
			given[env] = "-" + f.Name
		}
	})
	var errs []error
	check := func(env string, parse func(string) error) {
		v := *src.values[env]
		if err := parse(v); err != nil {
			name := env
			if fl, ok := given[env]; ok {
				name = fl
			}
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}

	var cfg Config
	check(EnvAddr, func(v string) (err error) { cfg.Addr, err = parseAddr(v); return })
	check(EnvDatabaseURL, func(v string) (err error) { cfg.DatabaseURL, err = parseDatabaseURL(v); return })
	check(EnvBaseURL, func(v string) (err error) { cfg.BaseURL, err = parseBaseURL(v, cfg.Addr); return })
	check(EnvSecret, func(v string) (err error) { cfg.Secret, err = parseSecret(v); return })
	check(EnvDBMaxConns, func(v string) (err error) { cfg.DBMaxConns, err = parsePositive(v); return })
	check(EnvLogLevel, func(v string) (err error) { cfg.LogLevel, err = parseLogLevel(v); return })
	check(EnvRequestTimeout, func(v string) (err error) { cfg.RequestTimeout, err = parseRequestTimeout(v); return })
	check(EnvTrustedProxies, func(v string) (err error) { cfg.TrustedProxies, err = parseTrustedProxies(v); return })
	check(EnvSMSWorker, func(v string) error {
		on, err := parseSwitch(v)
		cfg.NoSMSWorker = !on
		return err
	})
	tw := &cfg.Twilio
	check(EnvTwilioAccountSID, func(v string) (err error) { tw.AccountSID, err = parseSID(v, "AC", "an account"); return })
	check(EnvTwilioAuthToken, func(v string) (err error) { tw.AuthToken, err = parseAuthToken(v); return })
	check(EnvTwilioFrom, func(v string) (err error) { tw.From, err = parseSender(v); return })
	check(EnvTwilioMessagingServiceSID, func(v string) (err error) {
		tw.MessagingServiceSID, err = parseSID(v, "MG", "a messaging service")
		return
	})
	check(EnvTwilioVerifyServiceSID, func(v string) (err error) { tw.VerifyServiceSID, err = parseSID(v, "VA", "a Verify service"); return })
	check(EnvJobWorker, func(v string) error {
		on, err := parseSwitch(v)
		cfg.NoJobWorker = !on
		return err
	})
	st := &cfg.Stripe
	check(EnvStripeSecretKey, func(v string) (err error) { st.SecretKey, err = parseStripeKey(v); return })
	check(EnvStripeWebhookSecret, func(v string) (err error) { st.WebhookSecret, err = parseStripeWebhookSecret(v); return })
	check(EnvStripeAPIURL, func(v string) (err error) { st.APIURL, err = parseStripeAPIURL(v); return })
	if len(errs) == 0 {
		errs = append(errs, twilioComplete(src.values)...)
		errs = append(errs, stripeComplete(src.values)...)
		errs = append(errs, mailComplete(src.values, &cfg.Mail)...)
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func parseAddr(v string) (string, error) {
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return "", fmt.Errorf("must be host:port such as \":8080\" or \"127.0.0.1:8080\", got %q", v)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("port must be a number from 0 to 65535, got %q", v)
	}
	return v, nil
}

func parseDatabaseURL(v string) (string, error) {
	switch {
	case v == "":
		return "", errors.New("must be a postgres:// URL or an SQLite file path, got an empty value")
	case booking.IsPostgresURL(v):
		if _, err := url.Parse(v); err != nil {
			// url.Error repeats the URL, password included; say less.
			return "", errors.New("is not a valid postgres:// URL")
		}
	case strings.Contains(v, ":memory:"):
		return "", fmt.Errorf("in-memory SQLite is not supported (each connection would get its own empty database), use a file path, got %q", v)
	case strings.Contains(v, "://") && !strings.HasPrefix(v, "sqlite://"):
		return "", fmt.Errorf("must be a postgres:// URL or an SQLite file path, got %q", v)
	}
	return v, nil
}

// parseBaseURL checks the public URL; when it is unset it is derived from
// the listening port, so changing only the port keeps links working.
func parseBaseURL(v, addr string) (string, error) {
	if v == "" {
		host, port, _ := net.SplitHostPort(addr)
		if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
			host = "localhost"
		}
		return "http://" + net.JoinHostPort(host, port), nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("must be an absolute http:// or https:// URL, got %q", v)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("must not have a query, fragment or user, got %q", v)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func parseSecret(v string) (string, error) {
	if v != "" && len(v) < MinSecretLen {
		// Never echo a secret, not even a bad one.
		return "", fmt.Errorf("must be at least %d characters, got %d (or unset it to have one generated)", MinSecretLen, len(v))
	}
	return v, nil
}

func parsePositive(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("must be a positive integer, got %q", v)
	}
	return n, nil
}

// Bounds of GROUPBOOK_REQUEST_TIMEOUT. Below the minimum a booking under
// ordinary load could miss it; above the maximum a hung database would
// hold clients longer than anyone waits for a page.
const (
	minRequestTimeout = 2 * time.Second
	maxRequestTimeout = 60 * time.Second
)

// parseTrustedProxies reads a comma-separated list of IP addresses and CIDR
// ranges. Only a proxy listed here may name the client in X-Forwarded-For:
// trusting anyone would let every client pick the address that the sign-in
// and SMS limits count, and trusting no one behind a proxy makes every
// client share the proxy's address, so one attacker's failures throttle
// everyone.
func parseTrustedProxies(v string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return nil, fmt.Errorf("must be IP addresses or CIDR ranges separated by commas, got %q", p)
		}
		out = append(out, p)
	}
	return out, nil
}

func parseRequestTimeout(v string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d < minRequestTimeout || d > maxRequestTimeout {
		return 0, fmt.Errorf("must be a duration from %s to %s such as \"10s\", got %q", minRequestTimeout, maxRequestTimeout, v)
	}
	return d, nil
}

func parseLogLevel(v string) (slog.Level, error) {
	switch strings.ToLower(v) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("must be debug, info, warn or error, got %q", v)
}

// parseSwitch reads an on/off setting.
func parseSwitch(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "on", "yes":
		return true, nil
	case "0", "false", "off", "no":
		return false, nil
	}
	return false, fmt.Errorf("must be true or false, got %q", v)
}

// parseSID checks a Twilio SID: two letters naming its kind, then 32 hex
// digits. A SID of the wrong kind (a service SID where the account's goes)
// is the usual copy-and-paste mistake, and Twilio would only answer 404.
func parseSID(v, prefix, what string) (string, error) {
	if v == "" {
		return "", nil
	}
	if len(v) != 34 || !strings.HasPrefix(v, prefix) || !isHex(v[2:]) {
		return "", fmt.Errorf("must be %s SID, %s followed by 32 hex digits, got %q", what, prefix, v)
	}
	return v, nil
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// parseAuthToken checks the token's shape; twilio-go itself refuses
// anything but letters and digits, on every call.
func parseAuthToken(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	for _, r := range v {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			// Never echo a secret, not even a bad one.
			return "", fmt.Errorf("must be the account's auth token, letters and digits only (%d characters given)", len(v))
		}
	}
	if len(v) != 32 {
		return "", fmt.Errorf("must be the account's auth token, 32 characters, got %d", len(v))
	}
	return v, nil
}

// parseSender checks TWILIO_FROM with the rule the SMS page applies to a
// location's sender (booking.ValidSMSSender): a number in E.164, or an
// alphanumeric sender id (up to 11 letters, digits and spaces, at least
// one letter).
func parseSender(v string) (string, error) {
	switch {
	case v == "" || booking.ValidSMSSender(v):
		return v, nil
	case strings.HasPrefix(v, "+"):
		return "", fmt.Errorf("must be a phone number in E.164 (+ and 7 to 15 digits) or an alphanumeric sender id, got %q", v)
	}
	return "", fmt.Errorf("must be a phone number in E.164 (+ and 7 to 15 digits) or an alphanumeric sender id (up to 11 letters, digits and spaces), got %q", v)
}

// twilioComplete checks that Twilio is configured all or nothing: a
// partial setup would fail on the first message or confirmation code, long
// after the start, so it stops the start instead.
func twilioComplete(values map[string]*string) []error {
	set := func(env string) bool { return *values[env] != "" }
	all := []string{EnvTwilioAccountSID, EnvTwilioAuthToken, EnvTwilioFrom, EnvTwilioMessagingServiceSID, EnvTwilioVerifyServiceSID}
	var given []string
	for _, env := range all {
		if set(env) {
			given = append(given, env)
		}
	}
	if len(given) == 0 {
		return nil
	}
	because := "because " + strings.Join(given, ", ") + " is set"
	if len(given) > 1 {
		because = "because " + strings.Join(given, ", ") + " are set"
	}
	var errs []error
	for _, env := range []string{EnvTwilioAccountSID, EnvTwilioAuthToken, EnvTwilioVerifyServiceSID} {
		if !set(env) {
			errs = append(errs, fmt.Errorf("%s: must be set %s (Twilio needs all of %s, %s, %s and a sender)",
				env, because, EnvTwilioAccountSID, EnvTwilioAuthToken, EnvTwilioVerifyServiceSID))
		}
	}
	from, svc := set(EnvTwilioFrom), set(EnvTwilioMessagingServiceSID)
	switch {
	case !from && !svc:
		errs = append(errs, fmt.Errorf("%s: must be set %s, or %s instead (who the SMS come from)", EnvTwilioFrom, because, EnvTwilioMessagingServiceSID))
	case from && svc:
		errs = append(errs, fmt.Errorf("%s: set it or %s, not both", EnvTwilioFrom, EnvTwilioMessagingServiceSID))
	}
	return errs
}
