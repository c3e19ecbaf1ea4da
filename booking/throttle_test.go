package booking_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

const (
	throttleEmail    = "owner@example.com"
	throttlePassword = "correct horse battery"
)

func throttleFixture(t *testing.T, db *bun.DB) *booktest.Fixture {
	t.Helper()
	f := booktest.Seed(t, db)
	if _, err := f.Store.CreateUser(context.Background(), throttleEmail, "Owner", throttlePassword, booking.RoleOwner); err != nil {
		t.Fatal(err)
	}
	return f
}

// outcomes sorts sign-in results: checked (a wrong password answered
// ErrNotFound), refused by the account delay or the address limit.
type outcomes struct{ checked, account, address, other int }

func (o *outcomes) add(t *testing.T, err error) {
	var th *booking.LoginThrottledError
	switch {
	case errors.Is(err, booking.ErrNotFound):
		o.checked++
	case errors.As(err, &th) && th.PerAddress:
		o.address++
	case errors.As(err, &th):
		o.account++
	default:
		o.other++
		t.Errorf("unexpected sign-in result: %v", err)
	}
}

// signInAll fires every attempt at once (they wait on one start signal)
// and sorts the results.
func signInAll(t *testing.T, st *booking.Store, attempts [][3]string) outcomes {
	t.Helper()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		out   outcomes
		start = make(chan struct{})
	)
	errs := make([]error, len(attempts))
	for i, a := range attempts {
		wg.Go(func() {
			<-start
			_, err := st.SignIn(context.Background(), a[0], a[1], a[2])
			mu.Lock()
			errs[i] = err
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		out.add(t, err)
	}
	return out
}

// Sixty simultaneous wrong guesses at one account, each from its own
// address (as a botnet would), then the right password: one guess is
// checked, the rest and the right password wait. Before the throttle was
// counted in one statement, all sixty were checked and the right password
// signed in.
func TestSignInConcurrentGuessesOneAccount(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := throttleFixture(t, db)
		var attempts [][3]string
		for i := range 60 {
			attempts = append(attempts, [3]string{throttleEmail, fmt.Sprintf("wrong guess %d", i), fmt.Sprintf("203.0.113.%d", i+1)})
		}
		got := signInAll(t, f.Store, attempts)
		if got.checked != 1 || got.account != 59 {
			t.Fatalf("60 concurrent guesses: %+v, want 1 checked and 59 refused by the account delay", got)
		}
		_, err := f.Store.SignIn(context.Background(), throttleEmail, throttlePassword, "198.51.100.1")
		var th *booking.LoginThrottledError
		if !errors.As(err, &th) || th.PerAddress || th.Wait != booking.LoginDelayFirst {
			t.Fatalf("right password while delayed: %v, want the account delay of %s", err, booking.LoginDelayFirst)
		}
		f.Now = f.Now.Add(th.Wait)
		if u, err := f.Store.SignIn(context.Background(), throttleEmail, throttlePassword, "198.51.100.1"); err != nil || u.Email != throttleEmail {
			t.Fatalf("right password after the delay: %v", err)
		}
	})
}

// Sixty simultaneous guesses from one address at sixty accounts: the
// address's hard limit lets exactly LoginAttemptsPerIP be checked.
func TestSignInConcurrentGuessesOneAddress(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := throttleFixture(t, db)
		var attempts [][3]string
		for i := range 60 {
			attempts = append(attempts, [3]string{fmt.Sprintf("user%d@example.com", i), "wrong guess", "192.0.2.77"})
		}
		got := signInAll(t, f.Store, attempts)
		if got.checked != booking.LoginAttemptsPerIP || got.address != 60-booking.LoginAttemptsPerIP {
			t.Fatalf("60 concurrent guesses from one address: %+v, want %d checked", got, booking.LoginAttemptsPerIP)
		}
		_, err := f.Store.SignIn(context.Background(), throttleEmail, throttlePassword, "192.0.2.77")
		var th *booking.LoginThrottledError
		if !errors.As(err, &th) || !th.PerAddress || th.Wait != booking.LoginWindow {
			t.Fatalf("right password from the address over its limit: %v, want a wait of %s", err, booking.LoginWindow)
		}
		// Other addresses are not affected.
		if _, err := f.Store.SignIn(context.Background(), throttleEmail, throttlePassword, "192.0.2.78"); err != nil {
			t.Fatalf("from another address: %v", err)
		}
		f.Now = f.Now.Add(booking.LoginWindow)
		if _, err := f.Store.SignIn(context.Background(), throttleEmail, throttlePassword, "192.0.2.77"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

// The account delay doubles with each failure in a row up to the cap,
// starts over after a quiet window, and a success clears it.
func TestSignInDelayGrows(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := throttleFixture(t, db)
		ctx := context.Background()
		want := []time.Duration{1, 2, 4, 8, 16, 32, 64, 128, 180, 180}
		for i, w := range want {
			// Each try from a new address, so the address limit stays out of it.
			ip := fmt.Sprintf("203.0.113.%d", i+1)
			if _, err := f.Store.SignIn(ctx, throttleEmail, "wrong password", ip); !errors.Is(err, booking.ErrNotFound) {
				t.Fatalf("failure %d: %v", i+1, err)
			}
			_, err := f.Store.SignIn(ctx, throttleEmail, "wrong password", ip)
			var th *booking.LoginThrottledError
			if !errors.As(err, &th) || th.Wait != w*time.Second {
				t.Fatalf("after %d failures: %v, want a wait of %ds", i+1, err, w)
			}
			f.Now = f.Now.Add(th.Wait)
		}
		if booking.LoginDelayMax != 180*time.Second {
			t.Fatalf("LoginDelayMax = %s; update this test's steps", booking.LoginDelayMax)
		}
		// A quiet window starts the count over: the next failure waits 1 s.
		f.Now = f.Now.Add(booking.LoginWindow)
		f.Store.SignIn(ctx, throttleEmail, "wrong password", "203.0.113.200")
		var th *booking.LoginThrottledError
		if _, err := f.Store.SignIn(ctx, throttleEmail, "wrong password", "203.0.113.200"); !errors.As(err, &th) || th.Wait != time.Second {
			t.Fatalf("after a quiet window: %v, want 1s", err)
		}
		// A success clears the delay: the next failure is checked at once.
		f.Now = f.Now.Add(time.Second)
		if _, err := f.Store.SignIn(ctx, throttleEmail, throttlePassword, "203.0.113.201"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.SignIn(ctx, throttleEmail, "wrong password", "203.0.113.202"); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("first failure after a success: %v", err)
		}
	})
}

// Guesses from elsewhere cannot keep an owner out at an address they
// signed in from before: it has the account delay to itself.
func TestSignInKnownAddressKeepsItsOwnDelay(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := throttleFixture(t, db)
		ctx := context.Background()
		home := "192.0.2.50"
		if _, err := f.Store.SignIn(ctx, throttleEmail, throttlePassword, home); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			f.Store.SignIn(ctx, throttleEmail, "attacker guess", fmt.Sprintf("203.0.113.%d", i+1))
		}
		var th *booking.LoginThrottledError
		if _, err := f.Store.SignIn(ctx, throttleEmail, throttlePassword, "198.51.100.9"); !errors.As(err, &th) {
			t.Fatalf("from a new address while the account is delayed: %v, want a delay", err)
		}
		if _, err := f.Store.SignIn(ctx, throttleEmail, throttlePassword, home); err != nil {
			t.Fatalf("owner at a known address while attacked: %v", err)
		}
		// The known address's own delay still holds against guesses from it.
		f.Store.SignIn(ctx, throttleEmail, "typo", home)
		if _, err := f.Store.SignIn(ctx, throttleEmail, throttlePassword, home); !errors.As(err, &th) || th.Wait != time.Second {
			t.Fatalf("known address after its own failure: %v, want 1s", err)
		}
		// After LoginKnownFor without a sign-in the address is new again.
		f.Now = f.Now.Add(booking.LoginKnownFor + time.Hour)
		if _, err := f.Store.SignIn(ctx, throttleEmail, "typo", "192.0.2.51"); !errors.Is(err, booking.ErrNotFound) {
			t.Fatal(err)
		}
		if _, err := f.Store.SignIn(ctx, throttleEmail, throttlePassword, home); !errors.As(err, &th) {
			t.Fatalf("long-unused address: %v, want the shared account delay", err)
		}
	})
}

// Successful sign-ins give their address attempt back: a shared office
// connection does not use up its limit by signing in.
func TestSignInSuccessRefundsAddress(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := throttleFixture(t, db)
		ctx := context.Background()
		for i := range booking.LoginAttemptsPerIP + 5 {
			if _, err := f.Store.SignIn(ctx, throttleEmail, throttlePassword, "192.0.2.60"); err != nil {
				t.Fatalf("sign-in %d from one address: %v", i+1, err)
			}
		}
		if _, err := f.Store.SignIn(ctx, throttleEmail, "wrong password", "192.0.2.60"); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("a failure after many sign-ins: %v", err)
		}
	})
}

// Text no account can hold is refused at its field before it reaches a
// throttle key or a query (PostgreSQL refuses NUL in text), and nothing is
// counted.
func TestSignInRefusesUnusableText(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := throttleFixture(t, db)
		ctx := context.Background()
		for _, c := range []struct{ email, password, field, msg string }{
			{"owner\x00@example.com", throttlePassword, "email", booking.MsgLoginInvalidText},
			{"owner@example.com\xff", throttlePassword, "email", booking.MsgLoginInvalidText},
			{"owner@exa\nmple.com", throttlePassword, "email", booking.MsgLoginInvalidText},
			{throttleEmail, "correct\x00horse", "password", booking.MsgLoginInvalidText},
			{throttleEmail, "correct \xc3\x28 horse", "password", booking.MsgLoginInvalidText},
			{"  ", throttlePassword, "email", booking.MsgRequired},
			{throttleEmail, "", "password", booking.MsgRequired},
		} {
			_, err := f.Store.SignIn(ctx, c.email, c.password, "192.0.2.1")
			var fe booking.FieldErrors
			if !errors.As(err, &fe) || fe[c.field] != c.msg {
				t.Errorf("SignIn(%q, %q) = %v, want %s at %s", c.email, c.password, err, c.msg, c.field)
			}
		}
		n, err := db.NewSelect().Table("login_throttle").Count(ctx)
		if err != nil || n != 0 {
			t.Errorf("refused input was counted: %d rows (%v)", n, err)
		}
	})
}

// An IPv6 client is limited by its /64, which one subscriber usually holds
// whole: fresh addresses from it do not bring a fresh limit.
func TestSignInIPv6CountsBySlash64(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := throttleFixture(t, db)
		ctx := context.Background()
		for i := range booking.LoginAttemptsPerIP {
			ip := fmt.Sprintf("2001:db8:1:2::%x", i+1)
			if _, err := f.Store.SignIn(ctx, fmt.Sprintf("u%d@example.com", i), "wrong", ip); !errors.Is(err, booking.ErrNotFound) {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		var th *booking.LoginThrottledError
		if _, err := f.Store.SignIn(ctx, throttleEmail, throttlePassword, "2001:db8:1:2:ffff::1"); !errors.As(err, &th) || !th.PerAddress {
			t.Fatalf("another address in the same /64: %v, want the address limit", err)
		}
		if _, err := f.Store.SignIn(ctx, throttleEmail, throttlePassword, "2001:db8:1:3::1"); err != nil {
			t.Fatalf("another /64: %v", err)
		}
	})
}
