package handlers

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestAdminClientOnlinePayments: the client page's payment column says
// how each booking is paid (online with its amount and refunds, awaiting
// payment, unpaid), and the client's online payments and refunds are
// listed, other clients' not.
func TestAdminClientOnlinePayments(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnvStripe(t, db)
		ctx := context.Background()
		evs := e.f.YogaEvents(t, 3, 10)
		res, _ := adminPaidOnline(t, e, 1, 2, evs[0])
		if _, err := e.f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: e.f.Location.ID, BookingID: res.Bookings[0].ID, AmountMinor: 2000, StaffUserID: e.owner.ID}); err != nil {
			t.Fatal(err)
		}
		adminHeldOnline(t, e, 1, 1, evs[1])
		adminPaidOnline(t, e, 2, 1, evs[2]) // another client's
		if _, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: e.f.Location.ID, Link: e.f.Link, EventIDs: []int64{evs[2].ID}, Seats: 1, Client: booktest.Client(1), Lang: "en"}); err != nil {
			t.Fatal(err)
		}

		c := e.signIn(staffEmail)
		p := c.get("/admin/clients/" + idString(res.Client.ID))
		if p.code != 200 {
			t.Fatalf("client page: %d", p.code)
		}
		var pays []string
		p.doc.Find("#admin-clients-upcoming tbody tr").Each(func(_ int, s *goquery.Selection) {
			pays = append(pays, strings.Join(strings.Fields(s.Find("td.ga-clients-pay").Text()), " "))
		})
		if got := strings.Join(pays, " / "); got != "Paid online 7,000 HUF Refund pending: 20 HUF / Awaiting payment until 10:15 / Unpaid" {
			t.Errorf("payment column: %q", got)
		}
		var online []string
		p.doc.Find("#admin-clients-online tbody tr").Each(func(_ int, s *goquery.Selection) {
			online = append(online, strings.Join(strings.Fields(s.Text()), " "))
		})
		if len(online) != 2 || !strings.Contains(online[0]+online[1], "-20 HUF") || !strings.Contains(online[0]+online[1], "7,000 HUF") {
			t.Errorf("online payments: %q", online)
		}
	})
}
