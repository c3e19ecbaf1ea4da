package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// passFixture is the widget with SMS confirmation on, SMS sent, and the
// client of verifyPhone holding a "10 Yoga classes" pass with left visits.
type passFixture struct {
	*widgetEnv
	client *booking.Client
	pass   *booking.ClientPass
}

func newPassFixture(t *testing.T, db *bun.DB, left int, edit func(*booking.PassTypeInput)) *passFixture {
	t.Helper()
	ctx := context.Background()
	e := newWidgetEnv(t, db)
	smsLink(t, e)
	if err := e.f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: e.f.Location.ID, Enabled: true, ReminderHours: 24}); err != nil {
		t.Fatal(err)
	}
	pf := &passFixture{widgetEnv: e, client: widgetClient(t, e, verifyPhone)}
	pf.pass = givePass(t, e, pf.client, left, edit)
	return pf
}

// widgetClient creates a client of the fixture's location with phone.
func widgetClient(t *testing.T, e *widgetEnv, phone string) *booking.Client {
	t.Helper()
	cl := &booking.Client{LocationID: e.f.Location.ID, Phone: phone, FirstName: "Anna", LastName: "Kovács", CreatedAt: e.f.Now}
	if _, err := e.db.NewInsert().Model(cl).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return cl
}

// givePass sells cl a Yoga pass type (10 visits, 90 days from sale, edited
// by edit) and corrects it to left visits.
func givePass(t *testing.T, e *widgetEnv, cl *booking.Client, left int, edit func(*booking.PassTypeInput)) *booking.ClientPass {
	t.Helper()
	ctx := context.Background()
	in := booking.PassTypeInput{Name: "10 Yoga classes", Kind: booking.PassVisits, Visits: 10, ValidityDays: 90,
		ValidFrom: booking.ValidFromSale, PriceMinor: 3000000, Currency: "HUF", ServiceIDs: []int64{e.f.Yoga.ID}}
	if edit != nil {
		edit(&in)
	}
	pt, err := e.f.Store.CreatePassType(ctx, e.f.Location.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.f.Store.SellPass(ctx, booking.SellPassInput{LocationID: e.f.Location.ID, ClientID: cl.ID, PassTypeID: pt.ID, Free: true})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Unlimited() && left != p.Balance {
		if p, err = e.f.Store.CorrectPass(ctx, booking.PassRef{LocationID: p.LocationID, ClientID: cl.ID, PassID: p.ID}, left-p.Balance, "test", 0); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func (pf *passFixture) balance(t *testing.T, p *booking.ClientPass) int {
	t.Helper()
	got, err := pf.f.Store.ClientPass(context.Background(), booking.PassRef{LocationID: p.LocationID, ClientID: p.ClientID, PassID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	return got.Balance
}

// confirm walks a selection to the contact step, submits it, and types the
// right code: the answer is the payment step (or the booking, when no
// pass can pay). It checks no pass was shown before the code.
func (pf *passFixture) confirm(t *testing.T, seats string, evs ...*booking.Event) *page {
	t.Helper()
	ct := pf.contactForm(evs[0], seats, evs[1:]...)
	if ct.code != http.StatusOK {
		t.Fatalf("contact: %d\n%s", ct.code, ct.body)
	}
	code := pf.post("/w/sunrise/book", contact(ct.hidden("s")))
	if code.code != http.StatusOK || code.hidden("p") == "" {
		t.Fatalf("contact submit: %d\n%s", code.code, code.body)
	}
	for _, p := range []*page{ct, code} {
		if strings.Contains(p.body, pf.pass.Name) || p.doc.Find(`input[name=pay]`).Length() != 0 {
			t.Fatal("a pass is shown before the phone is confirmed")
		}
	}
	return pf.post("/w/sunrise/verify", url.Values{"p": {code.hidden("p")}, "code": {pf.codes.Code(verifyPhone)}})
}

// choose submits the payment step with pay.
func (pf *passFixture) choose(step *page, pay string) *page {
	form := url.Values{"pay": {pay}}
	step.doc.Find(`form.gb-pay input[type=hidden]`).Each(func(_ int, s *goqSel) {
		form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	return pf.post("/w/sunrise/book", form)
}

// TestWidgetUseMyPass: after the code, the step offers the client's pass
// with its balance beside paying at the studio; choosing it books every
// date × seats with it, the confirmation shows the new balance, and the
// "booked" SMS names the pass.
func TestWidgetUseMyPass(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		pf := newPassFixture(t, db, 10, nil)
		// Passes that cannot pay are not offered: another service's, a
		// voided one, another client's.
		pil := givePass(t, pf.widgetEnv, pf.client, 10, func(in *booking.PassTypeInput) {
			in.Name, in.ServiceIDs = "Pilates card", []int64{pf.f.Pilates.ID}
		})
		voided := givePass(t, pf.widgetEnv, pf.client, 10, func(in *booking.PassTypeInput) { in.Name = "Old card" })
		if _, err := pf.f.Store.VoidPass(ctx, booking.PassRef{LocationID: voided.LocationID, ClientID: pf.client.ID, PassID: voided.ID}, "lost", 0); err != nil {
			t.Fatal(err)
		}
		other := widgetClient(t, pf.widgetEnv, "+36301112233")
		givePass(t, pf.widgetEnv, other, 10, func(in *booking.PassTypeInput) { in.Name = "Someone else's" })

		evs := pf.f.YogaEvents(t, 3, 10)
		step := pf.confirm(t, "2", evs...)
		if step.code != http.StatusOK || pf.bookings() != 0 {
			t.Fatalf("after the code: %d, %d bookings\n%s", step.code, pf.bookings(), step.body)
		}
		opt := step.doc.Find(`input[name=pay][value="` + itoa64(pf.pass.ID) + `"]`)
		if opt.Length() != 1 || !strings.Contains(opt.Parent().Text(), "Use my pass: 10 Yoga classes (10 visits left)") {
			t.Fatalf("pass option: %q", step.text("form.gb-pay"))
		}
		if _, checked := opt.Attr("checked"); !checked {
			t.Error("the pass is not the checked choice")
		}
		if step.doc.Find(`input[name=pay][value=studio]`).Length() != 1 {
			t.Error("paying at the studio is not offered")
		}
		for _, name := range []string{pil.Name, voided.Name, "Someone else's"} {
			if strings.Contains(step.body, name) {
				t.Errorf("%q offered", name)
			}
		}
		if !strings.Contains(step.text("form.gb-pay"), "This booking uses 6 of its visits.") ||
			!strings.Contains(strings.ReplaceAll(step.text("[data-gb-price]"), "\u00a0", " "), "21,000 HUF") {
			t.Errorf("payment step: %q / %q", step.text("form.gb-pay"), step.text("[data-gb-price]"))
		}
		if cc := step.hdr.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("payment step Cache-Control %q", cc)
		}

		done := pf.choose(step, itoa64(pf.pass.ID))
		if done.code != http.StatusSeeOther {
			t.Fatalf("book with the pass: %d\n%s", done.code, done.body)
		}
		if got := pf.balance(t, pf.pass); got != 4 {
			t.Errorf("balance %d, want 10 - 3 dates × 2 seats = 4", got)
		}
		var bs []booking.Booking
		if err := db.NewSelect().Model(&bs).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(bs) != 3 {
			t.Fatalf("%d bookings", len(bs))
		}
		for _, b := range bs {
			if b.Payment != booking.PaymentPass || b.PassID != pf.pass.ID || b.Seats != 2 {
				t.Errorf("booking %d: %s by %d, %d seats", b.ID, b.Payment, b.PassID, b.Seats)
			}
		}
		m := pf.get(done.hdr.Get("Location"))
		if m.code != http.StatusOK || m.text("[data-gb-paid]") != "Paid with your pass “10 Yoga classes”: 4 visits left." {
			t.Errorf("confirmation: %d %q", m.code, m.text("[data-gb-paid]"))
		}
		if cc := m.hdr.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("confirmation Cache-Control %q", cc)
		}
		var msg booking.OutboxMessage
		if err := db.NewSelect().Model(&msg).Where("kind = ?", booking.SMSBooked).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if p, err := msg.DecodePayload(); err != nil || p.Pass == nil || p.Pass.Name != "10 Yoga classes" || p.Pass.Left != 4 {
			t.Errorf("booked SMS payload: %+v %v", p, err)
		}
		// The same submit again (a double click): one deduction.
		if again := pf.choose(step, itoa64(pf.pass.ID)); again.code != http.StatusSeeOther || pf.balance(t, pf.pass) != 4 || pf.bookings() != 3 {
			t.Errorf("resubmit: %d, balance %d, %d bookings", again.code, pf.balance(t, pf.pass), pf.bookings())
		}
	})
}

// TestWidgetPassShortfall: a pass that cannot pay for all of the selection
// is refused by the core with what is short, shown at the field with a
// 422, and nothing is booked or spent; paying at the studio still works.
func TestWidgetPassShortfall(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		pf := newPassFixture(t, db, 3, nil)
		evs := pf.f.YogaEvents(t, 4, 10)
		step := pf.confirm(t, "1", evs...)
		if !strings.Contains(step.text("form.gb-pay"), "(3 visits left)") {
			t.Fatalf("a short pass is still offered, to say what is short: %q", step.text("form.gb-pay"))
		}
		r := pf.choose(step, itoa64(pf.pass.ID))
		if r.code != http.StatusUnprocessableEntity || r.text("#gb-pay-error") != "3 visits left, 4 needed." {
			t.Fatalf("shortfall: %d %q\n%s", r.code, r.text("#gb-pay-error"), r.body)
		}
		if inv, _ := r.doc.Find("#gb-pay").Attr("aria-invalid"); inv != "true" {
			t.Error("the payment field is not marked invalid")
		}
		if pf.bookings() != 0 || pf.balance(t, pf.pass) != 3 || pf.taken(evs[0]) != 0 {
			t.Fatal("a refused pass booked or spent something")
		}
		// Russian, with its plural.
		form := url.Values{"pay": {itoa64(pf.pass.ID)}, "lang": {"ru"}}
		step.doc.Find(`form.gb-pay input[type=hidden]`).Each(func(_ int, s *goqSel) {
			if n := s.AttrOr("name", ""); n != "lang" {
				form.Set(n, s.AttrOr("value", ""))
			}
		})
		if r := pf.post("/w/sunrise/book", form); r.code != http.StatusUnprocessableEntity || r.text("#gb-pay-error") != "осталось 3 посещения, а нужно 4." {
			t.Errorf("Russian shortfall: %d %q", r.code, r.text("#gb-pay-error"))
		}

		// Tampered choices: another client's pass, nonsense.
		other := widgetClient(t, pf.widgetEnv, "+36301112233")
		foreign := givePass(t, pf.widgetEnv, other, 10, nil)
		for _, pay := range []string{itoa64(foreign.ID), "-1", "abc", "999999"} {
			r := pf.choose(step, pay)
			if r.code != http.StatusUnprocessableEntity || r.text("#gb-pay-error") == "" {
				t.Errorf("pay=%s: %d %q", pay, r.code, r.text("#gb-pay-error"))
			}
		}
		if pf.bookings() != 0 || pf.balance(t, foreign) != 10 {
			t.Fatal("a tampered pass booked or spent something")
		}

		// At the studio: booked, unpaid, the pass untouched.
		if r := pf.choose(step, payStudio); r.code != http.StatusSeeOther || pf.bookings() != 4 || pf.balance(t, pf.pass) != 3 {
			t.Fatalf("pay at the studio: %d, %d bookings", r.code, pf.bookings())
		}
		var b booking.Booking
		if err := db.NewSelect().Model(&b).Limit(1).Scan(ctx); err != nil || b.Payment != booking.PaymentUnpaid || b.PassID != 0 {
			t.Errorf("studio booking: %s %d %v", b.Payment, b.PassID, err)
		}
	})
}

// TestWidgetPassNotValidOnEveryDate: a selection that straddles the end of
// a pass's validity is refused naming the first date it does not cover.
func TestWidgetPassNotValidOnEveryDate(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		// Sold on Mon 2 Mar, valid 2 days: until Tue 3 Mar.
		pf := newPassFixture(t, db, 10, func(in *booking.PassTypeInput) { in.ValidityDays = 2 })
		evs := pf.f.YogaEvents(t, 3, 10) // Tue 3, Wed 4, Thu 5 Mar
		step := pf.confirm(t, "1", evs...)
		if !strings.Contains(step.text("form.gb-pay"), "valid until Tue 3 Mar") {
			t.Errorf("validity not shown: %q", step.text("form.gb-pay"))
		}
		r := pf.choose(step, itoa64(pf.pass.ID))
		if r.code != http.StatusUnprocessableEntity || r.text("#gb-pay-error") != "Your pass is valid until Tue 3 Mar, not on Wed 4 Mar." {
			t.Fatalf("straddle: %d %q", r.code, r.text("#gb-pay-error"))
		}
		if pf.bookings() != 0 || pf.balance(t, pf.pass) != 10 {
			t.Fatal("a refused pass booked or spent something")
		}
	})
}

// TestWidgetNoPassWithoutSMSConfirmation: on a link that does not confirm
// phones, a pass is never offered nor spent, even when the form names one.
func TestWidgetNoPassWithoutSMSConfirmation(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		pf := newPassFixture(t, db, 10, nil)
		link := *pf.f.Link
		link.SMSConfirm = false
		if err := pf.f.Store.SaveLink(context.Background(), &link); err != nil {
			t.Fatal(err)
		}
		evs := pf.f.YogaEvents(t, 2, 10)
		ct := pf.contactForm(evs[0], "1")
		if strings.Contains(ct.body, pf.pass.Name) || ct.doc.Find(`input[name=pay]`).Length() != 0 {
			t.Fatal("a pass is offered without SMS confirmation")
		}
		r := pf.post("/w/sunrise/book", contact(ct.hidden("s")))
		if r.code != http.StatusSeeOther || pf.bookings() != 1 {
			t.Fatalf("book: %d", r.code)
		}
		if m := pf.get(r.hdr.Get("Location")); m.doc.Find("[data-gb-paid]").Length() != 0 {
			t.Error("the confirmation names a pass")
		}
		// A pass id slipped into the form is ignored.
		form := contact(pf.contactForm(evs[1], "1").hidden("s"))
		form.Set("pay", itoa64(pf.pass.ID))
		if r := pf.post("/w/sunrise/book", form); r.code != http.StatusSeeOther || pf.bookings() != 2 {
			t.Fatalf("book with a pass id in the form: %d", r.code)
		}
		if got := pf.balance(t, pf.pass); got != 10 {
			t.Errorf("balance %d: a pass was spent without SMS confirmation", got)
		}
	})
}

// TestWidgetPrepaymentRequiresPass: on a "pay before booking" link the
// payment step offers passes only; without a usable pass nothing is
// booked and the client is told why.
func TestWidgetPrepaymentRequiresPass(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		pf := newPassFixture(t, db, 10, nil)
		link := *pf.f.Link
		link.PaymentMode, link.SMSConfirm = booking.PayPassRequired, true
		if err := pf.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		evs := pf.f.YogaEvents(t, 3, 10)
		step := pf.confirm(t, "1", evs...)
		if step.code != http.StatusOK || step.doc.Find(`input[name=pay][value=studio]`).Length() != 0 ||
			step.doc.Find(`input[name=pay][value="`+itoa64(pf.pass.ID)+`"]`).Length() != 1 {
			t.Fatalf("payment step on a prepaid link: %d %q", step.code, step.text("form.gb-pay"))
		}
		if r := pf.choose(step, payStudio); r.code != http.StatusUnprocessableEntity || r.text("#gb-pay-error") != "Please choose how to pay." || pf.bookings() != 0 {
			t.Errorf("studio on a prepaid link: %d %q", r.code, r.text("#gb-pay-error"))
		}
		if r := pf.choose(step, itoa64(pf.pass.ID)); r.code != http.StatusSeeOther || pf.bookings() != 3 || pf.balance(t, pf.pass) != 7 {
			t.Fatalf("pass on a prepaid link: %d, %d bookings", r.code, pf.bookings())
		}

		// A client with no pass: refused after the code, nothing booked.
		if _, err := pf.f.Store.VoidPass(ctx, booking.PassRef{LocationID: pf.pass.LocationID, ClientID: pf.client.ID, PassID: pf.pass.ID}, "test", 0); err != nil {
			t.Fatal(err)
		}
		pf.f.Now = pf.f.Now.Add(31 * time.Second) // past the code cooldown
		more := pf.f.YogaEvents(t, 1, 10)
		r := pf.confirm(t, "1", more...)
		if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.text(".gb-alert--error"), "must be paid with a pass") || pf.bookings() != 3 {
			t.Fatalf("no pass on a prepaid link: %d %q", r.code, r.text(".gb-alert--error"))
		}
		if r.hidden("s") == "" {
			t.Error("the selection was lost")
		}

		// A prepaid link without SMS confirmation (saved before the rule):
		// nobody can book, and the client is told to contact the studio.
		if _, err := db.NewUpdate().Model((*booking.Link)(nil)).Set("sms_confirm = ?", false).Where("id = ?", link.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		pf.f.Store.Changed()
		ct := pf.contactForm(more[0], "1")
		r = pf.post("/w/sunrise/book", contact(ct.hidden("s")))
		if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.text(".gb-alert--error"), "contact the studio") || pf.bookings() != 3 {
			t.Errorf("prepaid link without SMS confirmation: %d %q", r.code, r.text(".gb-alert--error"))
		}
	})
}

// TestWidgetPassOptionsSayWhy: a pass that cannot pay for the selection
// is listed with the reason before the client chooses (paying at the
// studio is then the checked choice), a frozen one too; sending the step without a
// choice is a 422, not the same page again.
func TestWidgetPassOptionsSayWhy(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		pf := newPassFixture(t, db, 2, nil)
		frozen := givePass(t, pf.widgetEnv, pf.client, 10, func(in *booking.PassTypeInput) { in.Name = "Paused card" })
		if _, err := pf.f.Store.FreezePass(ctx, booking.PassRef{LocationID: frozen.LocationID, ClientID: pf.client.ID, PassID: frozen.ID}, 0); err != nil {
			t.Fatal(err)
		}
		empty := givePass(t, pf.widgetEnv, pf.client, 0, func(in *booking.PassTypeInput) { in.Name = "Used up" })
		evs := pf.f.YogaEvents(t, 3, 10)
		step := pf.confirm(t, "1", evs...)
		text := step.text("form.gb-pay")
		if !strings.Contains(text, "2 visits left, 3 needed.") || !strings.Contains(text, "Paused card") || !strings.Contains(text, "paused") {
			t.Errorf("reasons not shown: %q", text)
		}
		if strings.Contains(step.body, empty.Name) {
			t.Error("a pass with nothing left is offered")
		}
		if step.doc.Find(`input[name=pay][checked]`).AttrOr("value", "") != payStudio {
			t.Error("with no pass that can pay, the studio is not the checked choice")
		}
		if r := pf.choose(step, ""); r.code != http.StatusUnprocessableEntity || r.text("#gb-pay-error") != "Please choose how to pay." || pf.bookings() != 0 {
			t.Errorf("no choice: %d %q", r.code, r.text("#gb-pay-error"))
		}
		if r := pf.choose(step, itoa64(frozen.ID)); r.code != http.StatusUnprocessableEntity || !strings.Contains(r.text("#gb-pay-error"), "paused") || pf.bookings() != 0 {
			t.Errorf("frozen pass: %d %q", r.code, r.text("#gb-pay-error"))
		}
	})
}

// TestWidgetPassTwoTabs: two tabs spend the last visit of a pass at once;
// one books, the other gets the shortfall at the field and books nothing.
func TestWidgetPassTwoTabs(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		pf := newPassFixture(t, db, 1, nil)
		evs := pf.f.YogaEvents(t, 2, 10)
		first := pf.confirm(t, "1", evs[0])
		pv := first.hidden("pv")
		if pv == "" {
			t.Fatal("no proof on the payment step")
		}
		// The second tab: the same confirmed phone, another date.
		ct := pf.contactFormWith(url.Values{"pv": {pv}}, evs[1], "1")
		form := contact(ct.hidden("s"))
		form.Set("pv", pv)
		second := pf.post("/w/sunrise/book", form)
		if second.code != http.StatusOK || second.doc.Find("form.gb-pay").Length() != 1 {
			t.Fatalf("second tab: %d\n%s", second.code, second.body)
		}
		results := make(chan *page, 2)
		for _, step := range []*page{first, second} {
			go func() { results <- pf.choose(step, itoa64(pf.pass.ID)) }()
		}
		var won, short int
		for range 2 {
			r := <-results
			switch {
			case r.code == http.StatusSeeOther:
				won++
			case r.code == http.StatusUnprocessableEntity && r.text("#gb-pay-error") == "0 visits left, 1 needed.":
				short++
			default:
				t.Errorf("a tab got %d %q", r.code, r.text("#gb-pay-error"))
			}
		}
		if won != 1 || short != 1 || pf.bookings() != 1 || pf.balance(t, pf.pass) != 0 {
			t.Errorf("%d booked, %d short, %d bookings, balance %d", won, short, pf.bookings(), pf.balance(t, pf.pass))
		}
	})
}

// TestWidgetPayStepLanguages: the payment step and the confirmation speak
// every language (a missing message fails the test through the bundle's
// Report), with the plural of the visits left.
func TestWidgetPayStepLanguages(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		pf := newPassFixture(t, db, 5, nil)
		evs := pf.f.YogaEvents(t, 5, 10)
		pv := pf.confirm(t, "1", evs[0]).hidden("pv")
		for i, tc := range []struct{ lang, option, paid string }{
			{"hu", "Bérlet használata: 10 Yoga classes (még 5 alkalom)", "Fizetve a(z) „10 Yoga classes” bérlettel: még 4 alkalom."},
			{"pt", "Usar o meu passe: 10 Yoga classes (restam 4 entradas)", "Pago com o seu passe “10 Yoga classes”: restam 3 entradas."},
			{"ru", "Оплатить абонементом: 10 Yoga classes (осталось 3 посещения)", "Оплачено абонементом «10 Yoga classes»: осталось 2 посещения."},
			{"uk", "Оплатити абонементом: 10 Yoga classes (залишилося 2 відвідування)", "Оплачено абонементом «10 Yoga classes»: залишилося 1 відвідування."},
		} {
			q := url.Values{"pv": {pv}, "lang": {tc.lang}}
			form := contact(pf.contactFormWith(q, evs[i+1], "1").hidden("s"))
			form.Set("pv", pv)
			form.Set("lang", tc.lang)
			step := pf.post("/w/sunrise/book", form)
			if step.code != http.StatusOK || !strings.Contains(step.text("form.gb-pay"), tc.option) {
				t.Fatalf("%s: %d %q", tc.lang, step.code, step.text("form.gb-pay"))
			}
			done := pf.choose(step, itoa64(pf.pass.ID))
			if done.code != http.StatusSeeOther {
				t.Fatalf("%s: book %d %q", tc.lang, done.code, done.text("#gb-pay-error"))
			}
			if got := pf.get(done.hdr.Get("Location")).text("[data-gb-paid]"); got != tc.paid {
				t.Errorf("%s: confirmation %q, want %q", tc.lang, got, tc.paid)
			}
		}
	})
}
