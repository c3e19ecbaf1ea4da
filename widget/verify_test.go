package widget_test

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
	"groupbook/widget"
)

// countingCodes is a CodeSender that counts the codes it was asked to send.
type countingCodes struct {
	mu      sync.Mutex
	byPhone map[string]int
}

func (c *countingCodes) Start(_ context.Context, phone, _ string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byPhone[phone]++
	return nil
}

func (c *countingCodes) Check(context.Context, string, string) (bool, error) { return false, nil }

func (c *countingCodes) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.byPhone {
		n += v
	}
	return n
}

// looseCodes limits nothing a test does not set, and has no cooldown (the
// fixture's clock stands still, so every send happens at one instant).
func looseCodes() widget.CodeLimits {
	return widget.CodeLimits{
		PerPhone: 1000, PerPhoneSpan: 15 * time.Minute, PerIP: 1000, PerIPSpan: time.Hour,
		PerLinkHour: 1000, PerLinkDay: 1000, PerLocationHour: 1000, PerLocationDay: 1000,
		Breaker: booking.CodeBreaker{Sends: 1000, Window: 10 * time.Minute, Pause: 30 * time.Minute},
	}
}

// sendResult is one attempt of the storm.
type sendResult struct {
	addr, phone string
	err         error
}

// codeStorm sends a code from each of 10 addresses to each of 10 phones,
// all 100 at once, spreading them over links.
func codeStorm(t *testing.T, f *widget.Flow, codes *countingCodes, links []*booking.Link) []sendResult {
	t.Helper()
	var (
		mu  sync.Mutex
		out []sendResult
		wg  sync.WaitGroup
	)
	start := make(chan struct{})
	for a := range 10 {
		for p := range 10 {
			wg.Go(func() {
				addr, phone := fmt.Sprintf("198.51.100.%d", a+1), booktest.Client(500+p).Phone
				link := links[(a*10+p)%len(links)]
				<-start
				err := f.SendCode(context.Background(), codes, link, phone, addr, "en")
				mu.Lock()
				out = append(out, sendResult{addr, phone, err})
				mu.Unlock()
			})
		}
	}
	close(start)
	wg.Wait()
	return out
}

// TestCodeCapsManyAddresses: ten addresses sending codes to ten phones at
// once never get past the cap of the scope they share: per phone, per
// address, per link, per location. Every refusal is ErrTooManySends and
// nothing refused reaches the SMS provider.
func TestCodeCapsManyAddresses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		set   func(*widget.CodeLimits)
		links int
		want  int
		per   func(sent map[string]int, byAddr map[string]int) error
	}{
		{"phone", func(l *widget.CodeLimits) { l.PerPhone = 3 }, 1, 30, func(byPhone, _ map[string]int) error {
			for p, n := range byPhone {
				if n != 3 {
					return fmt.Errorf("%s got %d codes", p, n)
				}
			}
			return nil
		}},
		{"address", func(l *widget.CodeLimits) { l.PerIP = 4 }, 1, 40, func(_, byAddr map[string]int) error {
			for a, n := range byAddr {
				if n != 4 {
					return fmt.Errorf("%s sent %d codes", a, n)
				}
			}
			return nil
		}},
		{"link", func(l *widget.CodeLimits) { l.PerLinkHour = 25 }, 1, 25, nil},
		{"link-day", func(l *widget.CodeLimits) { l.PerLinkDay = 21 }, 1, 21, nil},
		{"location", func(l *widget.CodeLimits) { l.PerLocationHour = 33 }, 2, 33, nil},
		{"location-day", func(l *widget.CodeLimits) { l.PerLocationDay = 27 }, 3, 27, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			booktest.Each(t, func(t *testing.T, db *bun.DB) {
				fx := booktest.Seed(t, db)
				links := []*booking.Link{fx.Link}
				for i := 1; i < tc.links; i++ {
					l := *fx.Link
					l.ID, l.Slug = 0, fmt.Sprintf("sunrise-%d", i)
					if err := fx.Store.SaveLink(context.Background(), &l); err != nil {
						t.Fatal(err)
					}
					links = append(links, &l)
				}
				limits := looseCodes()
				tc.set(&limits)
				f := widget.NewFlow(fx.Store, widget.NewSigner("test secret, at least thirty-two characters"))
				f.CodeLimits = &limits
				codes := &countingCodes{byPhone: map[string]int{}}
				results := codeStorm(t, f, codes, links)
				byAddr := map[string]int{}
				sent := 0
				for _, r := range results {
					switch {
					case r.err == nil:
						sent++
						byAddr[r.addr]++
					case !errors.Is(r.err, widget.ErrTooManySends):
						t.Errorf("%s → %s: %v", r.addr, r.phone, r.err)
					}
				}
				if sent != tc.want || codes.total() != tc.want {
					t.Errorf("%d sends allowed, %d codes sent; the cap allows %d", sent, codes.total(), tc.want)
				}
				if tc.per != nil {
					if err := tc.per(codes.byPhone, byAddr); err != nil {
						t.Error(err)
					}
				}
			})
		})
	}
}

// TestCodeBreaker: a burst over the install-wide threshold opens the
// breaker exactly once; then no code goes out from any link of any
// location until the pause is over, and sending resumes by itself.
func TestCodeBreaker(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		fx := booktest.Seed(t, db)
		// A second studio on the same install.
		loc, err := fx.Store.CreateLocation(ctx, booking.LocationInput{
			Name: "Harbour Pilates", Address: "Rua Augusta 1, Lisboa", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt",
		})
		if err != nil {
			t.Fatal(err)
		}
		other := &booking.Link{LocationID: loc.ID, Slug: "harbour", Name: "Website", Enabled: true, MaxEvents: 1, MaxSeats: 1, EmailMode: booking.FieldOptional, CommentMode: booking.FieldOptional}
		if err := fx.Store.SaveLink(ctx, other); err != nil {
			t.Fatal(err)
		}
		limits := looseCodes()
		limits.Breaker = booking.CodeBreaker{Sends: 40, Window: 10 * time.Minute, Pause: 30 * time.Minute}
		f := widget.NewFlow(fx.Store, widget.NewSigner("test secret, at least thirty-two characters"))
		f.CodeLimits = &limits
		codes := &countingCodes{byPhone: map[string]int{}}

		if p, err := fx.Store.CodesPaused(ctx); err != nil || p.Active() {
			t.Fatalf("paused before anything happened: %+v %v", p, err)
		}
		sent, tripped, paused := 0, 0, 0
		for _, r := range codeStorm(t, f, codes, []*booking.Link{fx.Link, other}) {
			var p *booking.CodePause
			switch {
			case r.err == nil:
				sent++
			case errors.As(r.err, &p) && errors.Is(r.err, booking.ErrCodesPaused):
				paused++
				if p.Tripped {
					tripped++
				}
			default:
				t.Errorf("%s → %s: %v", r.addr, r.phone, r.err)
			}
		}
		if sent != 40 || codes.total() != 40 || tripped != 1 || paused != 60 {
			t.Fatalf("%d sent (%d codes), %d refused, %d of them opening the breaker; want 40, 60, 1", sent, codes.total(), paused, tripped)
		}
		p, err := fx.Store.CodesPaused(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Active() || !p.Since.Equal(fx.Now) || !p.Until.Equal(fx.Now.Add(30*time.Minute)) || p.Sends != 40 || p.Window != 10*time.Minute {
			t.Errorf("pause %+v", p)
		}
		// Still paused near the end, for every link of every location.
		fx.Now = fx.Now.Add(29 * time.Minute)
		for _, l := range []*booking.Link{fx.Link, other} {
			err := f.SendCode(ctx, codes, l, booktest.Client(900).Phone, "192.0.2.99", "en")
			var p *booking.CodePause
			if !errors.As(err, &p) || p.Tripped {
				t.Errorf("link %s after 29 min: %v", l.Slug, err)
			}
		}
		// Then it closes by itself.
		fx.Now = fx.Now.Add(2 * time.Minute)
		if err := f.SendCode(ctx, codes, other, booktest.Client(900).Phone, "192.0.2.99", "pt"); err != nil {
			t.Fatalf("after the pause: %v", err)
		}
		if p, err := fx.Store.CodesPaused(ctx); err != nil || p.Active() {
			t.Errorf("still paused: %+v %v", p, err)
		}
		if codes.total() != 41 {
			t.Errorf("%d codes sent in all, want 41", codes.total())
		}
	})
}

// TestCodeCooldownAndCountry: a second send to a phone within the cooldown
// is ErrCodeCooldown (and not counted); a phone from a country the
// location does not take gets no code at all.
func TestCodeCooldownAndCountry(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		fx := booktest.Seed(t, db)
		link := *fx.Link
		link.SMSConfirm = true
		if err := fx.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		f := widget.NewFlow(fx.Store, widget.NewSigner("test secret, at least thirty-two characters"))
		codes := &countingCodes{byPhone: map[string]int{}}
		phone := booktest.Client(1).Phone
		if err := f.SendCode(ctx, codes, &link, phone, "192.0.2.1", "en"); err != nil {
			t.Fatal(err)
		}
		if err := f.SendCode(ctx, codes, &link, phone, "192.0.2.1", "en"); !errors.Is(err, widget.ErrCodeCooldown) {
			t.Errorf("second send at once: %v", err)
		}
		fx.Now = fx.Now.Add(widget.CodeCooldown + time.Second)
		if err := f.SendCode(ctx, codes, &link, phone, "192.0.2.1", "en"); err != nil {
			t.Errorf("after the cooldown: %v", err)
		}
		var fe booking.FieldErrors
		if err := f.SendCode(ctx, codes, &link, "+12025550143", "192.0.2.1", "en"); !errors.As(err, &fe) || fe["phone"] != booking.MsgPhoneCountry {
			t.Errorf("US phone: %v", err)
		}
		if codes.total() != 2 || codes.byPhone["+12025550143"] != 0 {
			t.Errorf("codes sent %v", codes.byPhone)
		}
	})
}
