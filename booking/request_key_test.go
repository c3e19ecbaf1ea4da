package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestGroupByKey(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		r := req(f, 1, 2, f.YogaEvents(t, 2, 10)...)
		r.Key = "w-lookup-me"
		res, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		g, err := f.Store.GroupByKey(ctx, "w-lookup-me")
		if err != nil || g.ID != res.Group.ID || g.Token != res.Group.Token {
			t.Errorf("GroupByKey = %+v, %v; want group %d", g, err, res.Group.ID)
		}
		for _, key := range []string{"w-never-used", ""} {
			if _, err := f.Store.GroupByKey(ctx, key); !errors.Is(err, booking.ErrNotFound) {
				t.Errorf("GroupByKey(%q) = %v, want ErrNotFound", key, err)
			}
		}
	})
}
