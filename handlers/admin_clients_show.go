package handlers

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/locales"
)

type clientsShowPage struct {
	Client   *booking.Client
	Name     string
	Phone    string
	Call     template.URL // tel: link of the stored E.164 number
	Since    string
	Upcoming []clientsBookingRow
	Past     []clientsBookingRow
	// UpcomingActive counts the upcoming bookings that will happen: the
	// list keeps cancelled ones (marked) for the record, the count does not.
	UpcomingActive int
	Passes         *clientPassesView
	// Online lists the client's online payments and refunds, newest first.
	Online []paymentsRow
}

// clientsBookingRow is one booking as the client page lists it, with every
// text already in the location's time zone and the admin's language.
type clientsBookingRow struct {
	booking.ClientBooking
	Date, Time, StatusText, ChannelText string
	EventURL                            string
	Cancelled, Deleted                  bool
	// PayText is the payment; MoneyNotes its refunds, if any.
	PayText    string
	MoneyNotes []string
}

// clientsShow is one client's details, passes and bookings.
func (h *adminHandlers) clientsShow(c *gin.Context) {
	v := h.newAdminView(c)
	p, ok := h.loadClientPage(c, v)
	if !ok {
		return
	}
	if done, ok := clientPassDone[c.Query("done")]; ok {
		v.alert("success", v.L.T(done))
	}
	p.Passes.SellOpen = c.Query("sell") != ""
	p.Passes.Sell.Back = clientSellBack(c.Query("back"))
	h.render(c, http.StatusOK, "admin_clients_show", v)
}

// loadClientPage loads the client of the :id in the path, at the admin's
// location only, with their passes and bookings; it has answered (404 or
// 500) when ok is false.
func (h *adminHandlers) loadClientPage(c *gin.Context, v *adminView) (*clientsShowPage, bool) {
	ctx := c.Request.Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || v.Location == nil {
		h.clientsMissing(c, v)
		return nil, false
	}
	cl, err := h.store.Client(ctx, id)
	// A client of another location is answered like one that does not
	// exist, so ids reveal nothing.
	if errors.Is(err, booking.ErrNotFound) || (err == nil && cl.LocationID != v.Location.ID) {
		h.clientsMissing(c, v)
		return nil, false
	}
	if err != nil {
		h.serverError(c, err)
		return nil, false
	}
	up, past, err := h.store.ClientBookings(ctx, v.Location.ID, cl.ID)
	if err != nil {
		h.serverError(c, err)
		return nil, false
	}
	zone, now := v.Location.Zone(), h.store.Clock()
	p := &clientsShowPage{
		Client: cl, Name: clientsName(cl), Phone: booking.FormatPhone(cl.Phone),
		// The core only stores validated E.164 numbers (+ and digits), so
		// the tel: URL needs no escaping that html/template would refuse.
		Call:  template.URL("tel:" + cl.Phone),
		Since: clientsDate(v.L, cl.CreatedAt.In(zone), now.In(zone)),
	}
	for _, b := range up {
		row := clientsRow(v.L, b, zone, now)
		p.Upcoming = append(p.Upcoming, row)
		if !row.Cancelled && !row.Deleted {
			p.UpcomingActive++
		}
	}
	for _, b := range past {
		p.Past = append(p.Past, clientsRow(v.L, b, zone, now))
	}
	byID := map[int64]booking.ClientBooking{}
	for _, list := range [][]booking.ClientBooking{up, past} {
		for _, b := range list {
			byID[b.ID] = b
		}
	}
	if err := h.attachClientMoney(ctx, v, p); err != nil {
		h.serverError(c, err)
		return nil, false
	}
	if p.Passes, err = h.loadClientPasses(ctx, v, cl, byID); err != nil {
		h.serverError(c, err)
		return nil, false
	}
	v.Title, v.Section, v.Page = p.Name, "clients", p
	return p, true
}

// clientsMissing answers 404 with the search page and a message.
func (h *adminHandlers) clientsMissing(c *gin.Context, v *adminView) {
	v.alert("error", v.L.T("admin_clients_not_found"))
	h.showClients(c, v, &clientsSearchPage{Max: clientsLimit}, http.StatusNotFound)
}

func clientsName(cl *booking.Client) string {
	if n := strings.TrimSpace(cl.FirstName + " " + cl.LastName); n != "" {
		return n
	}
	return cl.Phone
}

func clientsRow(L *locales.Localizer, b booking.ClientBooking, zone *time.Location, now time.Time) clientsBookingRow {
	start := b.Event.StartsAt.In(zone)
	return clientsBookingRow{
		ClientBooking: b,
		Date:          clientsDate(L, start, now.In(zone)),
		Time:          L.Clock(start) + "–" + L.Clock(b.Event.EndsAt().In(zone)),
		StatusText:    L.T("admin_clients_status_" + string(b.Status)),
		ChannelText:   clientsChannel(L, &b.Booking),
		PayText:       clientsPayText(L, &b.Booking),
		Cancelled:     b.Status == booking.StatusCancelled,
		EventURL:      "/admin/events/" + idString(b.EventID),
		Deleted:       b.Event.DeletedAt != nil,
	}
}

// clientsDate is the short date, with the year when it is not this year's.
func clientsDate(L *locales.Localizer, t, now time.Time) string {
	d := L.DateShort(t)
	if t.Year() == now.Year() {
		return d
	}
	return L.T("admin_clients_date_year", map[string]any{"Date": d, "Year": t.Year()})
}

// clientsChannel says where a booking came from: staff, the studio's
// website, or the platform its direct link named (brands keep their names).
func clientsChannel(L *locales.Localizer, b *booking.Booking) string {
	switch b.Channel() {
	case "":
		return L.T("admin_clients_channel_staff")
	case booking.ChannelInstagram:
		return "Instagram"
	case booking.ChannelFacebook:
		return "Facebook"
	case booking.ChannelGoogle:
		return "Google"
	}
	return L.T("admin_clients_channel_website")
}
