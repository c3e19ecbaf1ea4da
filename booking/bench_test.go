package booking_test

import (
	"context"
	"fmt"
	"runtime"
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

// BenchmarkReserveParallelSMS is the widget's booking load on PostgreSQL:
// 16 clients at once booking through one link of one location with SMS on
// (a "booked" message and a reminder each, counted against the SMS
// limits), each into its own events, from its own phone and address.
func BenchmarkReserveParallelSMS(b *testing.B) {
	db := booktest.Open(b, booktest.Postgres)
	f := booktest.Seed(b, db)
	ctx := context.Background()
	if err := f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true, ReminderHours: 24}); err != nil {
		b.Fatal(err)
	}
	evs := f.YogaEvents(b, 64, 10000)
	var next atomic.Int64
	b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1))
			r := req(f, i, 1, evs[i%len(evs)])
			r.ClientIP = fmt.Sprintf("198.51.%d.%d", i/250%250, i%250)
			if _, err := f.Store.Reserve(ctx, r); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	// What stays referenced once the load is over, the pool's connections
	// (and whatever statements their driver keeps) included.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
}
