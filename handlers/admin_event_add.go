package handlers

import (
	"crypto/rand"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// eventAddForm is the "Add a client" form of the event window.
type eventAddForm struct {
	// Key makes the submit idempotent: a double click or a resent form
	// books once. Each rendered form gets a fresh one.
	Key                               string
	Phone, FirstName, LastName, Email string
	Seats, VisitorName, Comment       string
	Another                           bool // registering another visitor
	// Notify: send the client the booking's messages (the box, see
	// admin_event_add_notify.go); NotifyShown: the form had the box (a
	// location sending nothing has none); NotifyLabel names it.
	Notify, NotifyShown bool
	NotifyLabel         string
}

func newEventAddForm() *eventAddForm { return &eventAddForm{Key: rand.Text(), Seats: "1"} }

func readEventAddForm(c *gin.Context) *eventAddForm {
	f := &eventAddForm{
		Key: c.PostForm("key"), Phone: c.PostForm("phone"),
		FirstName: c.PostForm("first_name"), LastName: c.PostForm("last_name"), Email: c.PostForm("email"),
		Seats: c.PostForm("seats"), VisitorName: c.PostForm("visitor_name"), Comment: c.PostForm("comment"),
		Another: c.PostForm("another") == "1",
		Notify:  c.PostForm("notify") == "1", NotifyShown: c.PostForm("notify_shown") == "1",
	}
	// A key is only ever one we made; anything else just loses idempotency.
	if len(f.Key) < 16 || len(f.Key) > 64 {
		f.Key = rand.Text()
	}
	return f
}

// request turns the form into a staff reservation: no link, so the link's
// online rules do not apply, but capacity does.
func (f *eventAddForm) request(loc *booking.Location, eventID int64) (booking.ReserveRequest, error) {
	phone := f.Phone
	// A number that does not normalise goes to the core as typed, which
	// then reports it at the phone field.
	if e164, err := booking.NormalizePhone(f.Phone, loc.Country); err == nil {
		phone = e164
	}
	seats, _ := strconv.Atoi(strings.TrimSpace(f.Seats)) // 0 is refused by the core
	req := booking.ReserveRequest{
		LocationID: loc.ID, Key: "admin-" + f.Key, EventIDs: []int64{eventID}, Seats: seats,
		Client:  booking.ClientInput{Phone: phone, FirstName: f.FirstName, LastName: f.LastName, Email: f.Email},
		Comment: f.Comment, Lang: loc.DefaultLang,
		// An unticked box: the client is told nothing of this booking.
		Quiet: f.NotifyShown && !f.Notify,
	}
	if !f.Another {
		return req, nil
	}
	req.VisitorName = f.VisitorName
	if strings.TrimSpace(f.VisitorName) != "" {
		return req, nil
	}
	// The box is ticked but nobody is named: report it with whatever else
	// is wrong, so the form comes back once with every problem.
	fe := booking.FieldErrors{}
	var other booking.FieldErrors
	if errors.As(booking.ValidateContact(nil, req.Client, req.Comment, loc.Country), &other) {
		fe = other
	}
	fe["visitor_name"] = booking.MsgRequired
	return req, fe
}

// eventAddClient books a client into the event from the window's form.
func (h *adminHandlers) eventAddClient(c *gin.Context) {
	v := h.newAdminView(c)
	p, ok := h.loadEventPage(c, v)
	if !ok {
		return
	}
	f := readEventAddForm(c)
	if err := h.rememberDeskNotify(c, f); err != nil {
		h.serverError(c, err)
		return
	}
	f.NotifyLabel = p.Add.NotifyLabel // as the fresh form loadEventPage made
	p.Add = f
	req, err := f.request(v.Location, p.W.Event.ID)
	if err == nil {
		err = h.reserveForStaff(c, req)
	}
	if err != nil {
		status := h.addClientError(v, p, err)
		if status == http.StatusInternalServerError {
			if !h.addClientUnsure(c, v, err) {
				h.serverError(c, err)
				return
			}
			status = http.StatusServiceUnavailable
		}
		p.AlertsIn = "add"
		h.renderEventBlock(c, status, v, "admin_event_body")
		return
	}
	if !p.Fragment {
		c.Redirect(http.StatusSeeOther, p.URL+"?done=added#gae-clients")
		return
	}
	v = h.newAdminView(c)
	if _, ok = h.loadEventPage(c, v); !ok {
		return
	}
	v.alert("success", v.L.T("admin_event_done_added"))
	h.renderEventBlock(c, http.StatusOK, v, "admin_event_body")
}

// addClientError puts a refused booking's reason at its field and returns
// the status to answer with (500 for an error that is not the user's).
func (h *adminHandlers) addClientError(v *adminView, p *eventPage, err error) int {
	if v.fieldErrors(err) {
		return http.StatusUnprocessableEntity
	}
	if errors.Is(err, booking.ErrKeyReused) {
		// The same form was sent before with other values (e.g. after the
		// back button): start over with a fresh form rather than guess.
		p.Add.Key = rand.Text()
		v.alert("error", v.L.T("admin_event_error_resubmitted"))
		return http.StatusConflict
	}
	var re *booking.ReserveError
	if !errors.As(err, &re) {
		return http.StatusInternalServerError
	}
	switch problem := re.ProblemFor(p.W.Event.ID); {
	case errors.Is(problem, booking.ErrFull):
		v.Errors = map[string]string{"seats": seatsLeftText(v, p.W.Event.SeatsLeft())}
	case errors.Is(problem, booking.ErrAlreadyBooked):
		v.Errors = map[string]string{"phone": v.L.T("admin_event_error_already_booked")}
	case errors.Is(problem, booking.ErrNotFound):
		v.alert("error", v.L.T("admin_event_error_gone"))
		return http.StatusConflict
	default:
		return http.StatusInternalServerError
	}
	v.alert("error", v.L.T("admin_fix_errors"))
	return http.StatusUnprocessableEntity
}

// seatsLeftText says how many seats can still be given, or that none can.
func seatsLeftText(v *adminView, left int) string {
	if left <= 0 {
		return v.L.T("admin_event_error_full")
	}
	return v.L.N("admin_event_error_seats_left", left)
}
