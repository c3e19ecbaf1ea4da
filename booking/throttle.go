package booking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Sign-in throttling. Every attempt is counted before its password is
// checked, by one upsert that also decides whether the attempt may go on,
// so a burst of simultaneous guesses cannot all slip past a count that is
// only read first and written after (60 concurrent guesses used to be
// checked all 60). Two gates, both in the database so every process shares
// them:
//
//   - Per address, a hard limit: LoginAttemptsPerIP attempts per
//     LoginWindow. It is higher than one person needs because several staff
//     may share an office connection; a successful sign-in gives its attempt
//     back, so only failures use it up.
//   - Per account, a short delay that doubles with each failure in a row
//     (1 s, 2 s, 4 s … at most LoginDelayMax), instead of the old 15-minute
//     lock-out after 5 failures, which let anyone lock an owner out with
//     five wrong passwords. With a delay, one failure costs the next attempt
//     seconds, and the longest wait stays short. A success clears it; so
//     does LoginWindow without attempts. At the cap an account takes at
//     most 20 guesses an hour from the whole internet, the same as before.
//
// The delay alone could still be held by someone who guesses again the
// moment it ends. So an address the account has signed in from before
// (within LoginKnownFor) has the account's delay to itself: guesses from
// anywhere else never slow the owner down at their usual address.
const (
	LoginWindow        = 15 * time.Minute
	LoginAttemptsPerIP = 20
	LoginDelayFirst    = time.Second
	LoginDelayMax      = 3 * time.Minute
	LoginKnownFor      = 90 * 24 * time.Hour
	loginKeepFor       = 24 * time.Hour
)

// MsgLoginInvalidText is the sign-in form's error for text that is not
// valid UTF-8 or holds a NUL or another control character: nothing a person
// can type, and PostgreSQL refuses NUL in text (a 500 before).
const MsgLoginInvalidText = "admin_login_invalid_text"

// LoginThrottledError refuses a sign-in attempt without checking the
// password, and says when the next one is allowed.
type LoginThrottledError struct {
	Wait time.Duration
	// PerAddress is true when the address's hard limit refused it, false
	// for the account's delay.
	PerAddress bool
}

func (e *LoginThrottledError) Error() string {
	who := "account"
	if e.PerAddress {
		who = "address"
	}
	return fmt.Sprintf("sign-in paused for this %s for %s", who, e.Wait)
}

func accountKey(email string) string { return "acct:" + normalizeEmail(email) }

// addressKey counts an IPv6 client by its /64: one subscriber usually gets
// a whole /64, so counting single addresses would hand an attacker
// billions of fresh limits.
func addressKey(ip string) string {
	if a, err := netip.ParseAddr(ip); err == nil && a.Is6() && !a.Is4In6() {
		if p, err := a.Prefix(64); err == nil {
			return "ip:" + p.String()
		}
	}
	return "ip:" + ip
}

// SignIn checks an email and password with both throttles in front:
// FieldErrors for input nothing can match, *LoginThrottledError when the
// attempt is refused unchecked, ErrNotFound for a wrong email or password.
func (s *Store) SignIn(ctx context.Context, email, password, ip string) (*User, error) {
	if err := checkSignInInput(email, password); err != nil {
		return nil, err
	}
	if err := s.admitAddress(ctx, addressKey(ip)); err != nil {
		return nil, err
	}
	acct, err := s.accountGateKey(ctx, email, ip)
	if err != nil {
		return nil, err
	}
	if err := s.admitAccount(ctx, acct); err != nil {
		return nil, err
	}
	u, err := s.Authenticate(ctx, email, password)
	if errors.Is(err, ErrNotFound) {
		// The failure is already counted; this is only housekeeping.
		if perr := s.pruneLoginThrottle(ctx); perr != nil {
			return nil, perr
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if err := s.signedIn(ctx, email, ip); err != nil {
		return nil, err
	}
	return u, nil
}

// checkSignInInput refuses what no account can have, before it reaches a
// throttle key or a query.
func checkSignInInput(email, password string) error {
	c := newChecker()
	switch {
	case strings.TrimSpace(email) == "":
		c.add("email", MsgRequired)
	case !plainText(email):
		c.add("email", MsgLoginInvalidText)
	case len(email) > MaxEmailLen:
		c.add("email", MsgTooLong)
	}
	switch {
	case password == "":
		c.add("password", MsgRequired)
	case !validPassword(password):
		c.add("password", MsgLoginInvalidText)
	}
	return c.err()
}

// plainText: valid UTF-8 without control characters.
func plainText(s string) bool {
	return validPassword(s) && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// validPassword: valid UTF-8 without NUL; anything else may be a password.
func validPassword(s string) bool {
	return strings.ToValidUTF8(s, "") == s && !strings.ContainsRune(s, 0)
}

// accountGateKey is the account's own delay key for an address it signed
// in from before, and the shared one for every other address.
func (s *Store) accountGateKey(ctx context.Context, email, ip string) (string, error) {
	n, err := s.db.NewSelect().Table("login_known_addresses").
		Where("account = ? AND addr = ? AND last_ok_at > ?", normalizeEmail(email), ip, s.now().Add(-LoginKnownFor)).
		Count(ctx)
	if err != nil {
		return "", fmt.Errorf("sign-in: known address: %w", err)
	}
	if n > 0 {
		return accountKey(email) + "|" + ip, nil
	}
	return accountKey(email), nil
}

// admitAddress counts an attempt from an address if it is under the
// limit: the upsert only writes (and returns a row) while the window has
// room, or when the window is over and a new one starts.
func (s *Store) admitAddress(ctx context.Context, key string) error {
	now := s.now()
	var attempts int
	defer s.quietTurn(ctx)()
	err := s.db.NewRaw(`INSERT INTO login_throttle AS t (key, attempts, window_start, next_at)
VALUES (?0, 1, ?1, ?2)
ON CONFLICT (key) DO UPDATE SET
  attempts     = CASE WHEN t.next_at <= ?1 THEN 1 ELSE t.attempts + 1 END,
  window_start = CASE WHEN t.next_at <= ?1 THEN ?1 ELSE t.window_start END,
  next_at      = CASE WHEN t.next_at <= ?1 THEN ?2 ELSE t.next_at END
WHERE t.next_at <= ?1 OR t.attempts < ?3
RETURNING attempts`, key, now, now.Add(LoginWindow), LoginAttemptsPerIP).Scan(ctx, &attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return s.throttled(ctx, key, true)
	}
	if err != nil {
		return fmt.Errorf("sign-in: count address attempt: %w", err)
	}
	return nil
}

// admitAccount counts an attempt on an account if its delay has passed,
// and sets the next delay as if this attempt fails (a success clears it).
// The delay after n failures in a row is LoginDelayFirst·2ⁿ⁻¹, capped;
// the steps are spelled out as a CASE so the whole decision stays one
// statement on both databases.
func (s *Store) admitAccount(ctx context.Context, key string) error {
	now := s.now()
	restart := now.Add(-LoginWindow) // quiet since then: start over
	// PostgreSQL would type a CASE of bare literals as text.
	ts := "?%d"
	if s.isPG() {
		ts = "CAST(?%d AS timestamptz)"
	}
	var cases strings.Builder
	args := []any{key, now, now.Add(LoginDelayFirst), restart}
	for n, d := 1, LoginDelayFirst; d < LoginDelayMax; n, d = n+1, d*2 {
		fmt.Fprintf(&cases, " WHEN t.attempts = %d THEN "+ts, n, len(args))
		args = append(args, now.Add(min(d*2, LoginDelayMax)))
	}
	fmt.Fprintf(&cases, " ELSE "+ts, len(args))
	args = append(args, now.Add(LoginDelayMax))
	var attempts int
	defer s.quietTurn(ctx)()
	err := s.db.NewRaw(`INSERT INTO login_throttle AS t (key, attempts, window_start, next_at)
VALUES (?0, 1, ?1, ?2)
ON CONFLICT (key) DO UPDATE SET
  attempts     = CASE WHEN t.next_at <= ?3 THEN 1 ELSE t.attempts + 1 END,
  window_start = ?1,
  next_at      = CASE WHEN t.next_at <= ?3 THEN `+fmt.Sprintf(ts, 2)+cases.String()+` END
WHERE t.next_at <= ?1
RETURNING attempts`, args...).Scan(ctx, &attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return s.throttled(ctx, key, false)
	}
	if err != nil {
		return fmt.Errorf("sign-in: count account attempt: %w", err)
	}
	return nil
}

// throttled builds the refusal with the time left on key.
func (s *Store) throttled(ctx context.Context, key string, perAddress bool) error {
	var next time.Time
	err := s.db.NewSelect().Table("login_throttle").Column("next_at").Where("key = ?", key).Scan(ctx, &next)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sign-in: throttle of %s: %w", key, err)
	}
	return &LoginThrottledError{Wait: max(next.Sub(s.now()), time.Second), PerAddress: perAddress}
}

// signedIn clears the account's delays, gives the address its attempt
// back, and remembers the address as one the account uses.
func (s *Store) signedIn(ctx context.Context, email, ip string) error {
	acct := accountKey(email)
	return s.inQuietTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewDelete().Table("login_throttle").Where("key IN (?)", bun.List([]string{acct, acct + "|" + ip})).Exec(ctx); err != nil {
			return fmt.Errorf("sign-in: clear account delay: %w", err)
		}
		if _, err := tx.NewUpdate().Table("login_throttle").Set("attempts = attempts - 1").
			Where("key = ? AND attempts > 0", addressKey(ip)).Exec(ctx); err != nil {
			return fmt.Errorf("sign-in: refund address attempt: %w", err)
		}
		if _, err := tx.NewRaw(`INSERT INTO login_known_addresses (account, addr, last_ok_at) VALUES (?, ?, ?)
ON CONFLICT (account, addr) DO UPDATE SET last_ok_at = excluded.last_ok_at`, normalizeEmail(email), ip, s.now()).Exec(ctx); err != nil {
			return fmt.Errorf("sign-in: remember address: %w", err)
		}
		return nil
	})
}

// pruneLoginThrottle drops counters a day past their end and addresses
// not used for LoginKnownFor.
func (s *Store) pruneLoginThrottle(ctx context.Context) error {
	now := s.now()
	defer s.quietTurn(ctx)()
	if _, err := s.db.NewDelete().Table("login_throttle").Where("next_at < ?", now.Add(-loginKeepFor)).Exec(ctx); err != nil {
		return fmt.Errorf("sign-in: prune throttle: %w", err)
	}
	if _, err := s.db.NewDelete().Table("login_known_addresses").Where("last_ok_at < ?", now.Add(-LoginKnownFor)).Exec(ctx); err != nil {
		return fmt.Errorf("sign-in: prune known addresses: %w", err)
	}
	return nil
}
