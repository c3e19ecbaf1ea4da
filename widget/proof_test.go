package widget_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
	"groupbook/widget"
)

// TestProofIsOpaque checks the pv= proof: it travels in URLs, so neither
// the phone nor any run of its digits may be read from it, even after
// decoding the token's base64; it still proves exactly that phone on
// exactly that link for ProofTTL.
func TestProofIsOpaque(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		fx := booktest.Seed(t, db)
		f := widget.NewFlow(fx.Store, widget.NewSigner("test secret, at least thirty-two characters"))
		phone := booktest.Client(1).Phone
		tok, err := f.SealProof(fx.Link, phone)
		if err != nil {
			t.Fatal(err)
		}
		digits := strings.TrimPrefix(phone, "+")
		last7 := digits[len(digits)-7:]
		payload, _, _ := strings.Cut(tok, ".")
		body, err := base64.RawURLEncoding.DecodeString(payload)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{tok, string(body)} {
			if strings.Contains(s, last7) {
				t.Errorf("proof carries the phone's digits: %s", s)
			}
		}
		if !f.HasProof(fx.Link, tok, phone) {
			t.Error("the proof does not prove its own phone")
		}
		if f.HasProof(fx.Link, tok, booktest.Client(2).Phone) {
			t.Error("the proof proves another phone")
		}
		other := *fx.Link
		other.ID++
		if f.HasProof(&other, tok, phone) {
			t.Error("the proof proves the phone on another link")
		}
		otherServer := widget.NewFlow(fx.Store, widget.NewSigner("another secret, another server...."))
		if otherServer.HasProof(fx.Link, tok, phone) {
			t.Error("another server's key accepts the proof")
		}
		fx.Now = fx.Now.Add(widget.ProofTTL + time.Minute)
		if f.HasProof(fx.Link, tok, phone) {
			t.Error("an expired proof still proves the phone")
		}
	})
}

// TestPhoneRefStable checks the reference is the same for the same phone
// and key (a proof made by one server process is good on another) and
// differs between phones and keys.
func TestPhoneRefStable(t *testing.T) {
	a := widget.NewSigner("test secret, at least thirty-two characters")
	b := widget.NewSigner("test secret, at least thirty-two characters")
	c := widget.NewSigner("another secret, another server....")
	p1, p2 := "+36201234567", "+36201234568"
	if a.PhoneRef(p1) != b.PhoneRef(p1) {
		t.Error("same key, same phone, different references")
	}
	if a.PhoneRef(p1) == a.PhoneRef(p2) || a.PhoneRef(p1) == c.PhoneRef(p1) {
		t.Error("references collide across phones or keys")
	}
	if n := len(a.PhoneRef(p1)); n != 22 {
		t.Errorf("reference length %d, want 22 (16 bytes base64url)", n)
	}
}
