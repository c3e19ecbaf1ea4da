package booking_test

import (
	"context"
	"testing"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// BenchmarkReserve measures one booking request end to end through the store
// (validation, idempotency key, locks, conditional updates, inserts), for one
// event and for five events at once, on both databases.
func BenchmarkReserve(b *testing.B) {
	for _, kind := range []string{booktest.SQLite, booktest.Postgres} {
		for _, n := range []int{1, 5} {
			b.Run(kind+"/events="+string(rune('0'+n)), func(b *testing.B) {
				db := booktest.Open(b, kind)
				f := booktest.Seed(b, db)
				ctx := context.Background()
				var evs []*booking.Event
				b.ReportAllocs()
				b.ResetTimer()
				for i := range b.N {
					// Fresh events every few thousand bookings, so none fills.
					if i%5000 == 0 {
						b.StopTimer()
						evs = f.YogaEvents(b, n, 10000)
						b.StartTimer()
					}
					r := req(f, i, 1, evs...)
					if _, err := f.Store.Reserve(ctx, r); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
