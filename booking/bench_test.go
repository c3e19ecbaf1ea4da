package booking_test

import (
	"context"
	"sync/atomic"
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

// BenchmarkReserveParallel measures throughput with many clients booking at
// once (GOMAXPROCS × 8 goroutines), each into events of its own so they do
// not queue on one row: the cost of concurrency itself.
func BenchmarkReserveParallel(b *testing.B) {
	for _, kind := range []string{booktest.SQLite, booktest.Postgres} {
		b.Run(kind, func(b *testing.B) {
			db := booktest.Open(b, kind)
			f := booktest.Seed(b, db)
			evs := f.YogaEvents(b, 64, 10000)
			var next atomic.Int64
			b.SetParallelism(8)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					i := int(next.Add(1))
					if _, err := f.Store.Reserve(ctx, req(f, i, 1, evs[i%len(evs)])); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
