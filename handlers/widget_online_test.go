package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/payments"
	"groupbook/payments/fakestripe"
	"groupbook/widget"
)

// nbsp-free text, as the money format puts no-break spaces in.
func plain(s string) string { return strings.ReplaceAll(s, "\u00a0", " ") }

// TestWidgetOnlineCheckout: on a link taking payment online, Continue on
// the contact step holds 3 dates × 2 seats (seats taken, group pending
// payment, nothing confirmed) and opens one Checkout Session through the
// real stripe-go client: one line per date (2 seats × 3,500 HUF), the
// currency in lower case, our payment id in the metadata and as the
// client reference, the payment's idempotency key, the success and cancel
// URLs on the manage page, and an expiry Stripe accepts. The manage page
// says the payment is pending, its Pay button leaves the frame
// (target=_top) for the session, it polls (204 while nothing changed) with
// a meta refresh without JavaScript, and offers no cancel yet. After
// Stripe's signed webhook the same page shows "Paid online" and the
// bookings are paid with their share.
func TestWidgetOnlineCheckout(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newOnlineEnv(t, db, booking.PayOnline, nil)
		evs := tueThuYoga(t, e.widgetEnv, 10)
		picked := []*booking.Event{&evs[0], &evs[2], &evs[4]}
		if got := e.contactForm(picked[0], "1").text("form.gb-contact button[type=submit]"); got != "Continue to payment" {
			t.Errorf("contact button %q", got)
		}
		token := tokenOf(t, e.submitContact("2", picked...))

		res := e.group(token)
		g := res.Group
		if g.State != booking.GroupPendingPayment || g.HoldUntil == nil || !g.HoldUntil.Equal(e.f.Now.Add(15*time.Minute)) {
			t.Fatalf("group %+v, want pending payment held 15 min", g)
		}
		for _, ev := range picked {
			if got := e.taken(ev); got != 2 {
				t.Errorf("event %d: %d seats taken, want 2 held", ev.ID, got)
			}
		}
		for _, b := range res.Bookings {
			if b.Payment != booking.PaymentOnlinePending {
				t.Errorf("booking %d payment %q, want online_pending", b.ID, b.Payment)
			}
		}

		sessions := e.stripe.Sessions()
		if len(sessions) != 1 {
			t.Fatalf("%d sessions, want 1", len(sessions))
		}
		cs := sessions[0]
		ps := e.payments(g.ID)
		if len(ps) != 1 || ps[0].Status != booking.OnlineOpen || ps[0].SessionID != cs.ID || ps[0].SessionURL != cs.URL {
			t.Fatalf("payments %+v, want one open for session %s", ps, cs.ID)
		}
		pid := strconv.FormatInt(ps[0].ID, 10)
		if cs.Mode != "payment" || cs.Currency != "huf" || cs.AmountTotal != 3*2*350000 || ps[0].AmountMinor != cs.AmountTotal {
			t.Errorf("session mode %q currency %q total %d (payment %d), want payment huf 2100000", cs.Mode, cs.Currency, cs.AmountTotal, ps[0].AmountMinor)
		}
		if len(cs.Lines) != 3 {
			t.Fatalf("lines %+v, want one per date", cs.Lines)
		}
		for i, l := range cs.Lines {
			if l.Quantity != 2 || l.UnitAmount != 350000 || l.Currency != "huf" || !strings.HasPrefix(l.Name, "Yoga on ") {
				t.Errorf("line %d: %+v, want Yoga, 2 × 350000 huf", i, l)
			}
		}
		if cs.Metadata[payments.MetadataPayment] != pid || cs.ClientReferenceID != pid {
			t.Errorf("metadata %v, client reference %q, want payment %s", cs.Metadata, cs.ClientReferenceID, pid)
		}
		back := testBaseURL + "/m/" + token
		if !strings.HasPrefix(cs.SuccessURL, back+"?paid=1") || !strings.HasPrefix(cs.CancelURL, back+"?") || strings.Contains(cs.CancelURL, "paid") {
			t.Errorf("success %q cancel %q, want the manage page", cs.SuccessURL, cs.CancelURL)
		}
		if d := time.Unix(cs.ExpiresAt, 0).Sub(e.f.Now); d < 30*time.Minute || d > 24*time.Hour {
			t.Errorf("session expires in %v, Stripe wants 30 min .. 24 h", d)
		}
		var keys []string
		for _, r := range e.stripe.Requests() {
			if r.Method == http.MethodPost && r.Path == "/v1/checkout/sessions" {
				keys = append(keys, r.IdempotencyKey)
			}
		}
		if len(keys) != 1 || keys[0] == "" || keys[0] != ps[0].IdempotencyKey {
			t.Errorf("idempotency keys %q, want the payment's %q", keys, ps[0].IdempotencyKey)
		}

		// The manage page, pending.
		m := e.get("/m/" + token + "?new=1&embed=1")
		if m.code != http.StatusOK {
			t.Fatalf("manage: %d\n%s", m.code, m.body)
		}
		if got := m.text("h1"); got != "Awaiting payment" {
			t.Errorf("heading %q", got)
		}
		if got := plain(m.text("[data-gb-online-text]")); !strings.Contains(got, "21,000 HUF") {
			t.Errorf("pending text %q, want the amount", got)
		}
		pay := m.doc.Find("a[data-gb-pay]")
		if href, _ := pay.Attr("href"); href != cs.URL || pay.AttrOr("target", "") != "_top" {
			t.Errorf("Pay link %q target %q, want %s out of the frame", href, pay.AttrOr("target", ""), cs.URL)
		}
		poll := m.doc.Find("[data-gb-poll]")
		if !strings.Contains(poll.AttrOr("hx-get", ""), "poll=1") || poll.AttrOr("hx-trigger", "") != "every 3s" {
			t.Errorf("poll %q %q", poll.AttrOr("hx-get", ""), poll.AttrOr("hx-trigger", ""))
		}
		if !strings.Contains(m.body, `<noscript><meta http-equiv="refresh" content="5"></noscript>`) {
			t.Error("no refresh without JavaScript")
		}
		if n := m.doc.Find("[data-gb-change], a[data-gb-cancel]").Length(); n != 0 {
			t.Errorf("%d Change menus on a held booking", n)
		}
		// Nor can the pages behind the menu be opened by hand.
		held := manageBookingIDs(m)[0]
		if r := e.get("/m/" + token + "/move/" + held); r.code != http.StatusConflict || !strings.Contains(r.text(".gb-alert--error"), "payment is confirmed") {
			t.Errorf("reschedule page of a held booking: %d %q", r.code, r.text(".gb-alert--error"))
		}
		if r := e.get("/m/" + token + "/cancel/" + held); r.code != http.StatusConflict {
			t.Errorf("cancel confirmation of a held booking: %d", r.code)
		}
		fake, _ := url.Parse(e.stripe.URL())
		if csp := m.hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+stripeCheckoutOrigin+" http://"+fake.Host) {
			t.Errorf("CSP %q does not let the Pay form go to Checkout", csp)
		}
		if p := e.get(poll.AttrOr("hx-get", ""), "HX-Request", "true"); p.code != http.StatusNoContent {
			t.Errorf("poll while pending: %d, want 204", p.code)
		}

		// Back from Checkout before the webhook: still pending, no Pay.
		if r := e.get("/m/" + token + "?paid=1"); r.doc.Find("[data-gb-pay]").Length() != 0 || !strings.Contains(r.text("[data-gb-online-text]"), "waiting") {
			t.Errorf("back before the webhook: %q", r.text("[data-gb-online]"))
		}

		// Paid at Checkout; Stripe's webhook confirms.
		ev, err := e.stripe.Pay(cs.ID)
		if err != nil {
			t.Fatal(err)
		}
		if code := e.deliver(ev); code != http.StatusOK {
			t.Fatalf("webhook: %d", code)
		}
		if p := e.get(poll.AttrOr("hx-get", ""), "HX-Request", "true"); p.code != http.StatusOK || p.doc.Find("[data-gb-paid-online]").Length() != 1 {
			t.Errorf("poll after the webhook: %d %q", p.code, p.body)
		}
		done := e.get("/m/" + token + "?paid=1")
		if got := plain(done.text("[data-gb-paid-online]")); got != "Paid online: 21,000 HUF." {
			t.Errorf("paid %q", got)
		}
		if got := done.text(".gb-alert--success"); got != "Payment received. Your booking is confirmed." {
			t.Errorf("alert %q", got)
		}
		if n := done.doc.Find("[data-gb-poll], [data-gb-pay]").Length(); n != 0 {
			t.Error("still polling or offering Pay after the payment")
		}
		if n := done.doc.Find("a[data-gb-cancel]").Length(); n != 3 {
			t.Errorf("%d cancel buttons, want 3", n)
		}
		res = e.group(token)
		if res.Group.State != booking.GroupBooked {
			t.Errorf("group %q after the webhook", res.Group.State)
		}
		for _, b := range res.Bookings {
			if b.Payment != booking.PaymentOnline || b.PaidAmountMinor != 2*350000 || b.PaidCurrency != "HUF" {
				t.Errorf("booking %d: %q %d %q, want online 700000 HUF", b.ID, b.Payment, b.PaidAmountMinor, b.PaidCurrency)
			}
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Error(bad)
		}
		_ = ctx
	})
}

// TestWidgetOnlineCancelRefund: a booking paid online says beside its
// Cancel button that cancelling refunds its share, and after the cancel
// the page says the refund is on its way; the location's "refund on
// client cancel" off says no refund instead.
func TestWidgetOnlineCancelRefund(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newOnlineEnv(t, db, booking.PayOnline, nil)
		evs := tueThuYoga(t, e.widgetEnv, 10)
		token := tokenOf(t, e.submitContact("2", &evs[0], &evs[2]))
		e.paySession(e.stripe.Sessions()[0].ID)

		m := e.get("/m/" + token)
		if got := plain(m.doc.Find("[data-gb-refund-note]").First().Text()); got != "If you cancel, 7,000 HUF is refunded to your card." {
			t.Errorf("refund note %q", got)
		}
		r, id := cancelVia(t, e.widgetEnv, m, 0)
		if r.code != http.StatusSeeOther {
			t.Fatalf("cancel: %d %s", r.code, r.body)
		}
		after := e.get(r.hdr.Get("Location"))
		if got := plain(after.text(".gb-alert--info")); !strings.HasPrefix(got, "7,000 HUF will be refunded to your card") {
			t.Errorf("after cancel %q", got)
		}
		if got := plain(after.text("#booking-" + id + " [data-gb-money]")); got != "A refund of 7,000 HUF is on its way to your card." {
			t.Errorf("cancelled booking says %q", got)
		}
		// The job worker sends the refund of that booking's share.
		e.runJobs()
		if rs := e.stripe.Refunds(); len(rs) != 1 || rs[0].Amount != 700000 {
			t.Errorf("refunds at Stripe %+v, want one of 700000", rs)
		}
		if got := plain(e.get("/m/" + token).text("#booking-" + id + " [data-gb-money]")); got != "Refunded to your card: 7,000 HUF." {
			t.Errorf("refunded booking says %q", got)
		}

		if err := e.f.Store.SetPaymentSettings(ctx, e.f.Location.ID, 15, false); err != nil {
			t.Fatal(err)
		}
		m = e.get("/m/" + token)
		if got := m.doc.Find("[data-gb-refund-note]").First().Text(); got != "Cancelling does not refund the online payment." {
			t.Errorf("refund note with refunds off %q", got)
		}
	})
}

// paySession pays a session at the fake and delivers the webhook.
func (e *onlineEnv) paySession(id string) {
	e.t.Helper()
	ev, err := e.stripe.Pay(id)
	if err != nil {
		e.t.Fatal(err)
	}
	if code := e.deliver(ev); code != http.StatusOK {
		e.t.Fatalf("webhook: %d", code)
	}
}

// TestWidgetOnlineCheckoutTwice: Pay now on the manage page opens a new
// session (303 out to it) and the older one is superseded: its payment
// expired in our books, then expired at Stripe by the job, so it can no
// longer be paid; paying the new one confirms the booking once.
func TestWidgetOnlineCheckoutTwice(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newOnlineEnv(t, db, booking.PayOnline, nil)
		evs := tueThuYoga(t, e.widgetEnv, 10)
		token := tokenOf(t, e.submitContact("1", &evs[0]))
		first := e.stripe.Sessions()[0]

		r := e.post("/m/"+token+"/pay", url.Values{"lang": {"en"}})
		if r.code != http.StatusSeeOther {
			t.Fatalf("Pay now: %d\n%s", r.code, r.body)
		}
		sessions := e.stripe.Sessions()
		if len(sessions) != 2 || r.hdr.Get("Location") != sessions[1].URL {
			t.Fatalf("Pay now went to %q; sessions %d", r.hdr.Get("Location"), len(sessions))
		}
		second := sessions[1]
		g := e.group(token).Group
		ps := e.payments(g.ID)
		if len(ps) != 2 || ps[0].SessionID != second.ID || ps[0].Status != booking.OnlineOpen || ps[1].Status != booking.OnlineExpired {
			t.Fatalf("payments %+v, want the new one open, the old one expired", ps)
		}
		if ps[0].IdempotencyKey == ps[1].IdempotencyKey {
			t.Error("the second session reused the first's idempotency key")
		}
		e.runJobs()
		if s, _ := e.stripe.Session(first.ID); s.Status != "expired" {
			t.Errorf("the first session is %q at Stripe, want expired", s.Status)
		}
		if _, err := e.stripe.Pay(first.ID); err == nil {
			t.Error("the superseded session could still be paid")
		}
		if m := e.get("/m/" + token); m.doc.Find("a[data-gb-pay]").AttrOr("href", "") != second.URL {
			t.Errorf("the Pay button leads to %q, want the new session", m.doc.Find("a[data-gb-pay]").AttrOr("href", ""))
		}
		e.paySession(second.ID)
		res := e.group(token)
		if res.Group.State != booking.GroupBooked || res.Bookings[0].Payment != booking.PaymentOnline {
			t.Errorf("after paying: %q %q", res.Group.State, res.Bookings[0].Payment)
		}
		if got := e.taken(&evs[0]); got != 1 {
			t.Errorf("%d seats taken, want 1", got)
		}
		// Paid: Pay now only shows the page again.
		if r := e.post("/m/"+token+"/pay", url.Values{"lang": {"en"}}); r.code != http.StatusSeeOther || !strings.HasPrefix(r.hdr.Get("Location"), "/m/"+token) {
			t.Errorf("Pay now when paid: %d %q", r.code, r.hdr.Get("Location"))
		}
		if n := len(e.stripe.Sessions()); n != 2 {
			t.Errorf("%d sessions, want no third", n)
		}
	})
}

// TestWidgetOnlineStripeDown: when Stripe answers 500, or does not answer
// in time, while the session is opened, the hold is released at once
// (seats free, group expired, payment failed), the client sees the
// contact step with a clear message (503) and a new request key, and
// sending it again once Stripe is back holds afresh.
func TestWidgetOnlineStripeDown(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault fakestripe.Fault
	}{{"500", fakestripe.Fault500}, {"hang", fakestripe.FaultHang}} {
		t.Run(tc.name, func(t *testing.T) {
			booktest.Each(t, func(t *testing.T, db *bun.DB) {
				e := newOnlineEnv(t, db, booking.PayOnline,
					func(o *fakestripe.Options) { o.SlowDelay = 2 * time.Second },
					func(d *Deps) { d.CheckoutTimeout = 300 * time.Millisecond })
				evs := tueThuYoga(t, e.widgetEnv, 10)
				ct := e.contactForm(&evs[0], "2")
				e.stripe.Fail("/v1/checkout/sessions", 1, tc.fault)
				r := e.post("/w/sunrise/book", contact(ct.hidden("s")))
				if r.code != http.StatusServiceUnavailable {
					t.Fatalf("status %d, want 503\n%s", r.code, r.body)
				}
				if got := r.text(".gb-alert--error"); !strings.Contains(got, "nothing was booked and no money was taken") {
					t.Errorf("message %q", got)
				}
				if r.doc.Find("#gb-first_name").Length() != 1 || r.hidden("s") == "" || r.hidden("s") == ct.hidden("s") {
					t.Error("not the contact step with a new request key")
				}
				if got := e.taken(&evs[0]); got != 0 {
					t.Errorf("%d seats still taken", got)
				}
				var gs []booking.Group
				if err := e.db.NewSelect().Model(&gs).Scan(context.Background()); err != nil {
					t.Fatal(err)
				}
				if len(gs) != 1 || gs[0].State != booking.GroupExpired {
					t.Fatalf("groups %+v, want one expired", gs)
				}
				if ps := e.payments(gs[0].ID); len(ps) != 1 || ps[0].Status != booking.OnlineFailed {
					t.Errorf("payments %+v, want one failed", ps)
				}
				again := e.post("/w/sunrise/book", contact(r.hidden("s")))
				token := tokenOf(t, again)
				if g := e.group(token).Group; g.State != booking.GroupPendingPayment || g.ID == gs[0].ID {
					t.Errorf("retry: group %d %q, want a new pending one", g.ID, g.State)
				}
				if got := e.taken(&evs[0]); got != 2 {
					t.Errorf("retry: %d seats taken, want 2", got)
				}
				if bad := booktest.Invariant(t, db); len(bad) > 0 {
					t.Error(bad)
				}
			})
		})
	}
}

// TestWidgetOnlineUnavailable: a link still set to take payment online
// while the server has no Stripe answers the contact step, and a contact
// form sent anyway, with "online payment unavailable" (503), nothing
// booked.
func TestWidgetOnlineUnavailable(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		evs := tueThuYoga(t, e, 10)
		ct := e.contactForm(&evs[0], "1")
		link := *e.f.Link
		link.PaymentMode = booking.PayPassOrOnline
		if err := e.f.Store.SaveLink(context.Background(), &link); err != nil {
			t.Fatal(err)
		}
		for _, p := range []*page{e.contactForm(&evs[0], "1"), e.post("/w/sunrise/book", contact(ct.hidden("s")))} {
			if p.code != http.StatusServiceUnavailable || p.text("h1") != "Online payment unavailable" {
				t.Errorf("%d %q, want 503 Online payment unavailable", p.code, p.text("h1"))
			}
		}
		if n := e.bookings(); n != 0 {
			t.Errorf("%d bookings", n)
		}
	})
}

// TestWidgetOnlineExpired: when the hold runs out the manage page says
// the booking was not completed and the seats were released, with no Pay
// button and no polling; Pay now only shows the page again.
func TestWidgetOnlineExpired(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newOnlineEnv(t, db, booking.PayOnline, nil)
		evs := tueThuYoga(t, e.widgetEnv, 10)
		token := tokenOf(t, e.submitContact("2", &evs[0]))
		g := e.group(token).Group
		e.f.Now = g.HoldUntil.Add(time.Second)
		if m := e.get("/m/" + token); m.doc.Find("[data-gb-pay]").Length() != 0 || m.text("h1") != "Booking not completed" {
			t.Errorf("overdue: %q, Pay %d", m.text("h1"), m.doc.Find("[data-gb-pay]").Length())
		}
		if released, err := e.f.Store.ExpireHold(ctx, g.ID); err != nil || !released {
			t.Fatalf("ExpireHold: %v %v", released, err)
		}
		m := e.get("/m/" + token)
		if m.text("h1") != "Booking not completed" || !strings.Contains(m.text("[data-gb-online-text]"), "seats were released") {
			t.Errorf("expired page: %q %q", m.text("h1"), m.text("[data-gb-online-text]"))
		}
		if n := m.doc.Find("[data-gb-pay], [data-gb-poll], [data-gb-change]").Length(); n != 0 {
			t.Error("Pay, polling or Cancel on an expired booking")
		}
		if got := e.taken(&evs[0]); got != 0 {
			t.Errorf("%d seats taken", got)
		}
		if r := e.post("/m/"+token+"/pay", url.Values{}); r.code != http.StatusSeeOther {
			t.Errorf("Pay now on an expired hold: %d", r.code)
		}
		if n := len(e.stripe.Sessions()); n != 1 {
			t.Errorf("%d sessions, want no new one", n)
		}
	})
}

// TestWidgetBuyPassOnline: on a link paid at the studio, with a pass type
// on sale online that costs less than the selection, the contact step
// says so and the payment step offers buying it beside the studio; choosing it holds the seats and
// opens a session of one line, the pass at its price. The pass exists only
// after the webhook, which books the selection with it: the manage page
// then names the pass and what is left on it.
func TestWidgetBuyPassOnline(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newOnlineEnv(t, db, booking.PayAtStudio, nil)
		evs := tueThuYoga(t, e.widgetEnv, 10)
		pt, err := e.f.Store.CreatePassType(ctx, e.f.Location.ID, booking.PassTypeInput{
			Name: "10 Yoga classes", Kind: booking.PassVisits, Visits: 10, ValidityDays: 90, ValidFrom: booking.ValidFromSale,
			PriceMinor: 1000000, Currency: "HUF", OnSaleOnline: true, ServiceIDs: []int64{e.f.Yoga.ID},
		})
		if err != nil {
			t.Fatal(err)
		}
		ct := e.contactForm(&evs[0], "2", &evs[2])
		if got := plain(ct.text("[data-gb-pass-offer]")); got != "Cheaper with a pass: “10 Yoga classes” costs 10,000 HUF. You can buy it online on the next step and book with it." {
			t.Errorf("contact step pass offer %q", got)
		}
		step := e.submitContact("2", &evs[0], &evs[2])
		if step.code != http.StatusOK || step.doc.Find("form.gb-pay").Length() != 1 {
			t.Fatalf("contact submit: %d, want the payment step\n%s", step.code, step.body)
		}
		buy := step.doc.Find("input[name=pay][data-gb-buy]")
		if buy.AttrOr("value", "") != "buy:"+itoa64(pt.ID) {
			t.Fatalf("buy option %q", buy.AttrOr("value", ""))
		}
		if got := plain(strings.Join(strings.Fields(buy.Closest("label").Text()), " ")); !strings.HasPrefix(got, "Buy the pass “10 Yoga classes” online for 10,000 HUF and book with it") || !strings.Contains(got, "6 visits left") {
			t.Errorf("buy label %q", got)
		}
		if step.doc.Find("input[name=pay][value=studio]").Length() != 1 || step.doc.Find("input[name=pay][value=online]").Length() != 0 {
			t.Error("want the studio beside the pass, and no paying online for the bookings on a studio link")
		}
		form := url.Values{"pay": {"buy:" + itoa64(pt.ID)}}
		step.doc.Find(`form.gb-pay input[type=hidden]`).Each(func(_ int, s *goqSel) {
			form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
		})
		token := tokenOf(t, e.post("/w/sunrise/book", form))
		res := e.group(token)
		if res.Group.State != booking.GroupPendingPayment || res.Group.BuyPassTypeID != pt.ID {
			t.Fatalf("group %+v, want pending, buying the pass", res.Group)
		}
		cs := e.stripe.Sessions()[0]
		if len(cs.Lines) != 1 || cs.Lines[0].Name != "Pass: 10 Yoga classes" || cs.Lines[0].UnitAmount != 1000000 || cs.Lines[0].Quantity != 1 || cs.Currency != "huf" {
			t.Errorf("session %+v, want one line: the pass", cs)
		}
		if passes, _ := e.f.Store.ClientPasses(ctx, e.f.Location.ID, res.Group.ClientID); len(passes) != 0 {
			t.Errorf("a pass exists before the payment: %+v", passes)
		}
		if m := e.get("/m/" + token); !strings.Contains(m.text("[data-gb-online-text]"), "The pass is yours as soon as the payment is confirmed.") {
			t.Errorf("pending text %q", m.text("[data-gb-online-text]"))
		}
		e.paySession(cs.ID)
		m := e.get("/m/" + token + "?paid=1")
		if got := m.text("[data-gb-paid]"); got != "Paid with your pass “10 Yoga classes”: 6 visits left." {
			t.Errorf("manage page says %q", got)
		}
		for _, b := range e.group(token).Bookings {
			if b.Payment != booking.PaymentPass || b.PassID == 0 {
				t.Errorf("booking %d: %q pass %d", b.ID, b.Payment, b.PassID)
			}
		}
	})
}

// TestWidgetPassOrOnline: on a link taking a pass or an online payment,
// with SMS confirmation, the step after the code offers the client's pass
// and paying online, not the studio. The pass books at once, nothing sent
// to Stripe; choosing online holds and opens a session; a client with no
// pass goes straight from the code to the hold.
func TestWidgetPassOrOnline(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newOnlineEnv(t, db, booking.PayPassOrOnline, nil)
		smsLink(t, e.widgetEnv)
		if err := e.f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: e.f.Location.ID, Enabled: true, ReminderHours: 24}); err != nil {
			t.Fatal(err)
		}
		pass := givePass(t, e.widgetEnv, widgetClient(t, e.widgetEnv, verifyPhone), 10, nil)
		evs := tueThuYoga(t, e.widgetEnv, 10)

		confirm := func(phone string, ev *booking.Event) *page {
			t.Helper()
			form := contact(e.contactForm(ev, "1").hidden("s"))
			form.Set("phone", phone)
			code := e.post("/w/sunrise/book", form)
			if code.code != http.StatusOK || code.hidden("p") == "" {
				t.Fatalf("contact submit: %d\n%s", code.code, code.body)
			}
			return e.post("/w/sunrise/verify", url.Values{"p": {code.hidden("p")}, "code": {e.codes.Code(phone)}})
		}
		choose := func(step *page, pay string) *page {
			form := url.Values{"pay": {pay}}
			step.doc.Find(`form.gb-pay input[type=hidden]`).Each(func(_ int, s *goqSel) {
				form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
			})
			return e.post("/w/sunrise/book", form)
		}

		step := confirm(verifyPhone, &evs[0])
		if step.code != http.StatusOK || step.doc.Find("form.gb-pay").Length() != 1 {
			t.Fatalf("after the code: %d, want the payment step\n%s", step.code, step.body)
		}
		if step.doc.Find(`input[name=pay][value="`+itoa64(pass.ID)+`"]`).Length() != 1 || step.doc.Find("input[name=pay][value=online]").Length() != 1 ||
			step.doc.Find("input[name=pay][value=studio]").Length() != 0 {
			t.Errorf("choices %q, want the pass and online, no studio", step.doc.Find("input[name=pay]").Map(func(_ int, s *goqSel) string { return s.AttrOr("value", "") }))
		}
		if got := plain(step.text("[data-gb-online] + span")); got != "Pay online now: 3,500 HUF" {
			t.Errorf("online choice %q", got)
		}
		// The studio, posted anyway, is refused at the field.
		if r := choose(step, "studio"); r.code != http.StatusUnprocessableEntity || r.text("#gb-pay-error") == "" {
			t.Errorf("studio on a prepaid link: %d %q", r.code, r.text("#gb-pay-error"))
		}
		token := tokenOf(t, choose(step, "online"))
		if g := e.group(token).Group; g.State != booking.GroupPendingPayment {
			t.Errorf("online: group %q", g.State)
		}
		if n := len(e.stripe.Sessions()); n != 1 {
			t.Errorf("%d sessions", n)
		}

		step = confirm(verifyPhone, &evs[2])
		token = tokenOf(t, choose(step, itoa64(pass.ID)))
		if res := e.group(token); res.Group.State != booking.GroupBooked || res.Bookings[0].Payment != booking.PaymentPass {
			t.Errorf("pass: %q %q", res.Group.State, res.Bookings[0].Payment)
		}
		if n := len(e.stripe.Sessions()); n != 1 {
			t.Errorf("%d sessions after paying with the pass, want still 1", n)
		}

		// No pass: from the code straight to the hold.
		token = tokenOf(t, confirm("+36201239999", &evs[4]))
		if g := e.group(token).Group; g.State != booking.GroupPendingPayment {
			t.Errorf("no pass: group %q", g.State)
		}
	})
}

// TestWidgetOnlinePayNowStripeDown: Pay now on the manage page while
// Stripe fails releases the hold too (no seats stay taken by a client who
// cannot pay): the page says so with 503 and shows the booking not
// completed.
func TestWidgetOnlinePayNowStripeDown(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newOnlineEnv(t, db, booking.PayOnline, nil)
		evs := tueThuYoga(t, e.widgetEnv, 10)
		token := tokenOf(t, e.submitContact("2", &evs[0]))
		e.stripe.Fail("/v1/checkout/sessions", 1, fakestripe.Fault429)
		r := e.post("/m/"+token+"/pay", url.Values{"lang": {"en"}})
		if r.code != http.StatusServiceUnavailable || !strings.Contains(r.text(".gb-alert--error"), "nothing was booked") {
			t.Fatalf("Pay now with Stripe down: %d %q", r.code, r.text(".gb-alert--error"))
		}
		if r.text("h1") != "Booking not completed" || r.doc.Find("[data-gb-pay]").Length() != 0 {
			t.Errorf("page %q, Pay %d", r.text("h1"), r.doc.Find("[data-gb-pay]").Length())
		}
		if got := e.taken(&evs[0]); got != 0 {
			t.Errorf("%d seats still taken", got)
		}
	})
}

// TestWidgetOnlineCheckoutLanguage: Checkout opens in the client's
// language where Stripe has it (Hungarian), else Stripe picks ("auto" for
// Ukrainian), its lines are written in that language, and the way back
// keeps it.
func TestWidgetOnlineCheckoutLanguage(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newOnlineEnv(t, db, booking.PayOnline, nil)
		evs := tueThuYoga(t, e.widgetEnv, 10)
		for i, tc := range []struct{ lang, locale, sep string }{{"hu", "hu", " – "}, {"uk", "auto", " о "}} {
			ct := e.contactFormWith(url.Values{"lang": {tc.lang}}, &evs[i], "1")
			form := contact(ct.hidden("s"))
			form.Set("lang", tc.lang)
			token := tokenOf(t, e.post("/w/sunrise/book", form))
			cs := e.stripe.Sessions()[i]
			if cs.Locale != tc.locale || len(cs.Lines) != 1 || !strings.Contains(cs.Lines[0].Name, tc.sep) {
				t.Errorf("%s: locale %q lines %+v", tc.lang, cs.Locale, cs.Lines)
			}
			if !strings.HasSuffix(cs.SuccessURL, "lang="+tc.lang) || !strings.HasSuffix(cs.CancelURL, "/m/"+token+"?lang="+tc.lang) {
				t.Errorf("%s: back to %q / %q", tc.lang, cs.SuccessURL, cs.CancelURL)
			}
		}
	})
}

// TestWidgetOnlinePayForm: a held group with no open session (its first
// one never opened: the answer was lost) shows Pay as a form that posts
// out of the frame (target=_top, not boosted by htmx), which opens a
// session and goes there.
func TestWidgetOnlinePayForm(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newOnlineEnv(t, db, booking.PayOnline, nil)
		evs := tueThuYoga(t, e.widgetEnv, 10)
		link, cat, err := e.flow.Open(ctx, "sunrise")
		if err != nil {
			t.Fatal(err)
		}
		sel := &widget.Selection{LinkID: link.ID, EventID: evs[0].ID, Seats: 1, Key: "w-lost-answer"}
		res, err := e.flow.Hold(ctx, link, cat, sel, widget.ContactInput{FirstName: "Anna", Phone: verifyPhone}, "192.0.2.1", 0)
		if err != nil {
			t.Fatal(err)
		}
		m := e.get("/m/" + res.Group.Token + "?embed=1&lang=en")
		form := m.doc.Find("form.gb-pay-now")
		if form.AttrOr("action", "") != "/m/"+res.Group.Token+"/pay" || form.AttrOr("method", "") != "post" ||
			form.AttrOr("target", "") != "_top" || form.AttrOr("hx-boost", "") != "false" || m.doc.Find("a[data-gb-pay]").Length() != 0 {
			t.Fatalf("Pay form %v", form.Nodes)
		}
		if got := plain(form.Find("button").Text()); got != "Pay 3,500 HUF" {
			t.Errorf("Pay button %q", got)
		}
		if form.Find("input[name=embed]").Length() != 0 {
			t.Error("the form out of the frame says it is framed")
		}
		r := e.post(form.AttrOr("action", ""), url.Values{"lang": {"en"}})
		if ss := e.stripe.Sessions(); r.code != http.StatusSeeOther || len(ss) != 1 || r.hdr.Get("Location") != ss[0].URL {
			t.Errorf("Pay: %d to %q", r.code, r.hdr.Get("Location"))
		}
	})
}

// TestWidgetOnlineTooManyHolds: a client already holding
// booking.MaxActiveHolds bookings that wait for payment cannot hold more
// seats: 429, the contact step says why, nothing held, no session opened.
func TestWidgetOnlineTooManyHolds(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newOnlineEnv(t, db, booking.PayOnline, nil)
		evs := tueThuYoga(t, e.widgetEnv, 10)
		for i := range booking.MaxActiveHolds {
			tokenOf(t, e.submitContact("1", &evs[i]))
		}
		before, sessions := e.bookings(), len(e.stripe.Sessions())
		p := e.submitContact("1", &evs[booking.MaxActiveHolds])
		if p.code != http.StatusTooManyRequests {
			t.Fatalf("status %d, want 429\n%s", p.code, p.body)
		}
		if got := p.text(".gb-alert--error"); !strings.Contains(got, "Too many bookings are waiting for payment") {
			t.Errorf("alert %q", got)
		}
		if p.hdr.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		if n := e.bookings(); n != before {
			t.Errorf("%d bookings after the refusal, %d before", n, before)
		}
		if n := len(e.stripe.Sessions()); n != sessions {
			t.Errorf("%d sessions opened, %d before", n, sessions)
		}
	})
}
