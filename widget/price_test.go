package widget

import (
	"testing"

	"groupbook/booking"
)

func TestPriceOf(t *testing.T) {
	yoga := booking.Service{PriceMinor: 350000, Currency: "HUF"}
	p, ok := PriceOf(yoga, 3, 2)
	if !ok || p.Total != 2100000 || p.Each != 350000 || p.Currency != "HUF" || p.Visits() != 6 {
		t.Errorf("3 dates × 2 seats: %+v %v", p, ok)
	}
	// The largest selection at the largest price does not overflow.
	big := booking.Service{PriceMinor: 999_999_999_99, Currency: "EUR"}
	if p, ok := PriceOf(big, booking.MaxEventsPerBooking, booking.MaxSeatsLimit); !ok || p.Total <= 0 {
		t.Errorf("largest: %+v", p)
	}
	for _, tc := range []struct {
		svc          booking.Service
		dates, seats int
	}{
		{booking.Service{Currency: "HUF"}, 1, 1}, // free
		{yoga, 0, 1},
		{yoga, 1, 0},
	} {
		if _, ok := PriceOf(tc.svc, tc.dates, tc.seats); ok {
			t.Errorf("%+v × %d × %d has a price line", tc.svc, tc.dates, tc.seats)
		}
	}
}
