package widget

import "groupbook/booking"

// Price is a selection's price line: the service's price for each seat on
// each date. It is what the studio will ask for at the desk, or what a
// pass pays, visit by visit.
type Price struct {
	Each     int64 // one seat on one date, in minor units
	Currency string
	Dates    int
	Seats    int
	Total    int64
}

// PriceOf prices dates × seats of a service. A free service has no price
// line (ok false). The amounts cannot overflow: a price has at most nine
// major digits and a selection at most booking.MaxEventsPerBooking dates
// of booking.MaxSeatsLimit seats.
func PriceOf(svc booking.Service, dates, seats int) (Price, bool) {
	if svc.PriceMinor <= 0 || dates < 1 || seats < 1 {
		return Price{}, false
	}
	return Price{
		Each: svc.PriceMinor, Currency: svc.Currency, Dates: dates, Seats: seats,
		Total: svc.PriceMinor * int64(dates) * int64(seats),
	}, true
}

// Visits is how many visits the selection uses: one per seat per date.
func (p Price) Visits() int { return p.Dates * p.Seats }
