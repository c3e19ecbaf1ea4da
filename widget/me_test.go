package widget_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/widget"
)

func TestMeTokens(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		ctx := context.Background()
		flow := widget.NewFlow(f.Store, widget.NewSigner("a test secret of at least thirty-two bytes"))
		ev := f.YogaEvents(t, 1, 5)[0]
		in := booktest.Client(7)
		res, err := f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{ev.ID}, Seats: 1, Client: in, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		other := *f.Link
		other.ID, other.Slug = 0, "other"
		if err := f.Store.SaveLink(ctx, &other); err != nil {
			t.Fatal(err)
		}

		// The access token names the client by id; the phone is not in it.
		token, err := flow.SealMe(ctx, f.Link, in.Phone)
		if err != nil {
			t.Fatal(err)
		}
		payload, _, _ := strings.Cut(token, ".")
		raw, _ := base64.RawURLEncoding.DecodeString(payload)
		if strings.Contains(string(raw), in.Phone[len(in.Phone)-7:]) {
			t.Errorf("the phone is in the access token: %s", raw)
		}
		acc, err := flow.OpenMe(f.Link, token)
		if err != nil || acc.ClientID != res.Client.ID || acc.LocationID != f.Location.ID || acc.LinkID != f.Link.ID {
			t.Fatalf("open: %+v, %v", acc, err)
		}
		// Another link's, another purpose's and a forged token are refused.
		if _, err := flow.OpenMe(&other, token); !errors.Is(err, widget.ErrBadToken) {
			t.Errorf("another link: %v", err)
		}
		pending, err := flow.SealMePending(f.Link, in.Phone)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := flow.OpenMe(f.Link, pending); !errors.Is(err, widget.ErrBadToken) {
			t.Errorf("a pending token as access: %v", err)
		}
		if _, err := flow.OpenMePending(f.Link, token); !errors.Is(err, widget.ErrBadToken) {
			t.Errorf("an access token as pending: %v", err)
		}
		if p, err := flow.OpenMePending(f.Link, pending); err != nil || p.Phone != in.Phone {
			t.Errorf("pending: %+v, %v", p, err)
		}
		// An unknown phone opens an empty page: client 0.
		unknown, err := flow.SealMe(ctx, f.Link, "+36301112222")
		if err != nil {
			t.Fatal(err)
		}
		if acc, err := flow.OpenMe(f.Link, unknown); err != nil || acc.ClientID != 0 {
			t.Errorf("unknown phone: %+v, %v", acc, err)
		}
		// Thirty minutes later it has expired.
		f.Now = f.Now.Add(widget.MeTTL + time.Second)
		if _, err := flow.OpenMe(f.Link, token); !errors.Is(err, widget.ErrExpiredToken) {
			t.Errorf("after %v: %v", widget.MeTTL, err)
		}
	})
}
