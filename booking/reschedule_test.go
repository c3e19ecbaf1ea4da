package booking_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// rescheduleWorld is the fixture with SMS on (reminders 36 h before), a
// second Yoga teacher (Lea) and a booking of 2 seats in evs[0] made by
// client 1 through the link.
type rescheduleWorld struct {
	f   *booktest.Fixture
	db  *bun.DB
	evs []*booking.Event // Yoga with Sofie, tomorrow 18:00 UTC and then daily
	lea *booking.TeamMember
	res *booking.Reservation
	b   booking.Booking
}

func newRescheduleWorld(t *testing.T, db *bun.DB) *rescheduleWorld {
	t.Helper()
	ctx := context.Background()
	f := booktest.Seed(t, db)
	enableSMS(t, f, 36)
	lea, err := f.Store.CreateTeamMember(ctx, f.Location.ID, booking.TeamMemberInput{Name: "Lea", Title: "Yoga teacher", ServiceIDs: []int64{f.Yoga.ID}})
	if err != nil {
		t.Fatal(err)
	}
	w := &rescheduleWorld{f: f, db: db, evs: f.YogaEvents(t, 5, 10), lea: lea}
	w.res, err = f.Store.Reserve(ctx, req(f, 1, 2, w.evs[0]))
	if err != nil {
		t.Fatal(err)
	}
	w.b = w.res.Bookings[0]
	return w
}

func (w *rescheduleWorld) move(to *booking.Event) (*booking.Reschedule, error) {
	return w.f.Store.RescheduleByClient(context.Background(), booking.RescheduleRequest{
		Token: w.res.Group.Token, BookingID: w.b.ID, FromEventID: w.b.EventID, ToEventID: to.ID, ClientIP: "192.0.2.7",
	})
}

// saveLink applies edit to the fixture's link and saves it.
func (w *rescheduleWorld) saveLink(t *testing.T, edit func(*booking.Link)) {
	t.Helper()
	edit(w.f.Link)
	if err := w.f.Store.SaveLink(context.Background(), w.f.Link); err != nil {
		t.Fatal(err)
	}
}

// rescheduleState is what a refused reschedule must leave as it was.
type rescheduleState struct {
	seats   map[int64]int
	booking booking.Booking
	outbox  []booking.OutboxMessage
}

func stateOf(t *testing.T, db *bun.DB, bookingID int64) string {
	t.Helper()
	ctx := context.Background()
	var evs []booking.Event
	if err := db.NewSelect().Model(&evs).Order("id").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	st := rescheduleState{seats: map[int64]int{}, outbox: outbox(t, db)}
	for _, e := range evs {
		st.seats[e.ID] = e.SeatsTaken
	}
	if err := db.NewSelect().Model(&st.booking).Where("id = ?", bookingID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	b := st.booking
	s := fmt.Sprintf("seats %v; booking event %d seq %d status %s seats %d updated %s payment %s pass %d; outbox:",
		st.seats, b.EventID, b.Sequence, b.Status, b.Seats, b.UpdatedAt.UTC(), b.Payment, b.PassID)
	for _, m := range st.outbox {
		s += fmt.Sprintf(" %d/%s/%s", m.ID, m.Kind, m.Status)
	}
	return s
}

// TestRescheduleByClientRefusals: every rule refuses with its error and
// leaves seats, the booking and the outbox as they were.
func TestRescheduleByClientRefusals(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newRescheduleWorld(t, db)
		f := w.f
		w.saveLink(t, func(l *booking.Link) { l.BufferMin = 60 })
		pilates := f.Event(t, f.Pilates, f.Marton, w.evs[1].StartsAt, 10)
		leas := f.Event(t, f.Yoga, w.lea, w.evs[1].StartsAt.Add(2*time.Hour), 10)
		small := f.Event(t, f.Yoga, f.Sofie, w.evs[2].StartsAt.Add(2*time.Hour), 1)
		soon := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(30*time.Minute), 10)
		begun := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(-10*time.Minute), 10)
		gone := f.Event(t, f.Yoga, f.Sofie, w.evs[3].StartsAt.Add(2*time.Hour), 10)
		if _, err := f.Store.DeleteEvent(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		// The same client already holds evs[1].
		if _, err := f.Store.Reserve(ctx, req(f, 1, 1, w.evs[1])); err != nil {
			t.Fatal(err)
		}
		other, err := f.Store.Reserve(ctx, req(f, 2, 1, w.evs[4]))
		if err != nil {
			t.Fatal(err)
		}

		type attempt struct {
			name string
			req  booking.RescheduleRequest
			want error
		}
		base := booking.RescheduleRequest{Token: w.res.Group.Token, BookingID: w.b.ID, FromEventID: w.evs[0].ID, ToEventID: w.evs[2].ID, ClientIP: "192.0.2.7"}
		with := func(edit func(*booking.RescheduleRequest)) booking.RescheduleRequest {
			r := base
			edit(&r)
			return r
		}
		cases := []attempt{
			{"unknown token", with(func(r *booking.RescheduleRequest) { r.Token = "nope" }), booking.ErrNotFound},
			{"empty token", with(func(r *booking.RescheduleRequest) { r.Token = "" }), booking.ErrNotFound},
			{"another group's token", with(func(r *booking.RescheduleRequest) { r.Token = other.Group.Token }), booking.ErrNotFound},
			{"another group's booking", with(func(r *booking.RescheduleRequest) {
				r.BookingID, r.FromEventID = other.Bookings[0].ID, w.evs[4].ID
			}), booking.ErrNotFound},
			{"stale from", with(func(r *booking.RescheduleRequest) { r.FromEventID = w.evs[1].ID }), booking.ErrRescheduleStale},
			{"other service", with(func(r *booking.RescheduleRequest) { r.ToEventID = pilates.ID }), booking.ErrDifferentService},
			{"other member", with(func(r *booking.RescheduleRequest) { r.ToEventID = leas.ID }), booking.ErrOtherMember},
			{"full", with(func(r *booking.RescheduleRequest) { r.ToEventID = small.ID }), booking.ErrFull},
			{"inside buffer", with(func(r *booking.RescheduleRequest) { r.ToEventID = soon.ID }), booking.ErrInsideBuffer},
			{"started", with(func(r *booking.RescheduleRequest) { r.ToEventID = begun.ID }), booking.ErrStarted},
			{"deleted", with(func(r *booking.RescheduleRequest) { r.ToEventID = gone.ID }), booking.ErrNotFound},
			{"unknown target", with(func(r *booking.RescheduleRequest) { r.ToEventID = 999999 }), booking.ErrNotFound},
			{"same event", with(func(r *booking.RescheduleRequest) { r.ToEventID = w.evs[0].ID }), booking.ErrAlreadyBooked},
			{"already booked there", with(func(r *booking.RescheduleRequest) { r.ToEventID = w.evs[1].ID }), booking.ErrAlreadyBooked},
		}
		check := func(t *testing.T, cases []attempt) {
			t.Helper()
			for _, c := range cases {
				before := stateOf(t, db, w.b.ID)
				_, err := f.Store.RescheduleByClient(ctx, c.req)
				if !errors.Is(err, c.want) {
					t.Errorf("%s: %v, want %v", c.name, err, c.want)
				}
				if after := stateOf(t, db, w.b.ID); after != before {
					t.Errorf("%s changed something:\n%s\n%s", c.name, before, after)
				}
			}
		}
		check(t, cases)

		// Any member, but the link shows only Sofie: Lea's date is not on it.
		w.saveLink(t, func(l *booking.Link) {
			l.RescheduleMode = booking.RescheduleAnyMember
			l.TeamMemberIDs = []int64{f.Sofie.ID}
		})
		check(t, []attempt{{"not on link", with(func(r *booking.RescheduleRequest) { r.ToEventID = leas.ID }), booking.ErrNotOnLink}})
		w.saveLink(t, func(l *booking.Link) { l.TeamMemberIDs = nil })
		if err := f.Store.SetTeamMemberActive(ctx, w.lea.ID, false); err != nil {
			t.Fatal(err)
		}
		check(t, []attempt{{"member archived", with(func(r *booking.RescheduleRequest) { r.ToEventID = leas.ID }), booking.ErrOnlineBookingOff}})
		if err := f.Store.SetTeamMemberActive(ctx, w.lea.ID, true); err != nil {
			t.Fatal(err)
		}

		// Rescheduling off.
		w.saveLink(t, func(l *booking.Link) { l.RescheduleMode = booking.RescheduleOff })
		check(t, []attempt{{"mode off", base, booking.ErrRescheduleNotAllowed}})
		w.saveLink(t, func(l *booking.Link) { l.RescheduleMode = booking.RescheduleSameMember })

		// Past the cutoff (the cancellation cutoff, 2 h).
		f.Now = w.evs[0].StartsAt.Add(-2 * time.Hour)
		check(t, []attempt{{"cutoff", base, booking.ErrRescheduleCutoff}})
		f.Now = booktest.Now

		// A booking staff made (no link) is moved by staff only.
		sr := req(f, 3, 1, w.evs[0])
		sr.Link = nil
		staff, err := f.Store.Reserve(ctx, sr)
		if err != nil {
			t.Fatal(err)
		}
		before := stateOf(t, db, staff.Bookings[0].ID)
		if _, err := f.Store.RescheduleByClient(ctx, booking.RescheduleRequest{Token: staff.Group.Token, BookingID: staff.Bookings[0].ID,
			FromEventID: w.evs[0].ID, ToEventID: w.evs[2].ID}); !errors.Is(err, booking.ErrRescheduleNotAllowed) {
			t.Errorf("staff booking: %v", err)
		}
		if after := stateOf(t, db, staff.Bookings[0].ID); after != before {
			t.Errorf("staff booking refusal changed something:\n%s\n%s", before, after)
		}

		// Held for an online payment: the payment is for these dates.
		held := hold(t, f, 4, 1, w.evs[0])
		before = stateOf(t, db, held.Bookings[0].ID)
		if _, err := f.Store.RescheduleByClient(ctx, booking.RescheduleRequest{Token: held.Group.Token, BookingID: held.Bookings[0].ID,
			FromEventID: w.evs[0].ID, ToEventID: w.evs[2].ID}); !errors.Is(err, booking.ErrPaymentPending) {
			t.Errorf("held booking: %v", err)
		}
		if after := stateOf(t, db, held.Bookings[0].ID); after != before {
			t.Errorf("held booking refusal changed something:\n%s\n%s", before, after)
		}

		// A cancelled booking stays cancelled.
		if _, err := f.Store.CancelByClient(ctx, w.res.Group.Token, w.b.ID, "192.0.2.7"); err != nil {
			t.Fatal(err)
		}
		check(t, []attempt{{"cancelled", base, booking.ErrAlreadyCancelled}})
		invariant(t, db)
	})
}

// TestRescheduleByClient: the booking moves with its seats, its Sequence
// goes up, the reminder follows it and the client is told the old and new
// time; with "any team member" the message names both teachers.
func TestRescheduleByClient(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newRescheduleWorld(t, db)
		f := w.f
		mark := len(outbox(t, db))
		got, err := w.move(w.evs[2])
		if err != nil {
			t.Fatal(err)
		}
		if got.Booking.EventID != w.evs[2].ID || got.Booking.Sequence != 1 || got.From.ID != w.evs[0].ID || got.To.ID != w.evs[2].ID ||
			got.From.SeatsTaken != 0 || got.To.SeatsTaken != 2 {
			t.Fatalf("reschedule %+v", got)
		}
		stored, _ := f.Store.Booking(ctx, w.b.ID)
		if stored.EventID != w.evs[2].ID || stored.Sequence != 1 || stored.Seats != 2 || !stored.Active() {
			t.Errorf("stored %+v", stored)
		}
		if seatsTaken(t, f, w.evs[0]) != 0 || seatsTaken(t, f, w.evs[2]) != 2 {
			t.Error("seats did not follow the booking")
		}
		msgs := outbox(t, db)[mark:]
		if len(msgs) != 2 {
			t.Fatalf("messages %+v", msgs)
		}
		moved, rem := msgs[0], msgs[1]
		mp, err := moved.DecodePayload()
		if err != nil {
			t.Fatal(err)
		}
		if moved.Kind != booking.SMSMoved || moved.Status != booking.OutboxPending || moved.BookingID != w.b.ID ||
			mp.From == nil || !mp.From.Equal(w.evs[0].StartsAt) || mp.Token != w.res.Group.Token ||
			len(mp.Items) != 1 || !mp.Items[0].Start.Equal(w.evs[2].StartsAt) || mp.Items[0].From == nil ||
			!mp.Items[0].From.Equal(w.evs[0].StartsAt) || mp.Items[0].Sequence != 1 || mp.Items[0].FromMember != "" {
			t.Errorf("moved %+v %+v", moved, mp)
		}
		if rem.Kind != booking.SMSReminder || !rem.DueAt.Equal(w.evs[2].StartsAt.Add(-36*time.Hour)) || rem.BookingID != w.b.ID {
			t.Errorf("reminder %+v", rem)
		}

		// Again, from the new event (the second move skips the first
		// move's reminder), to Lea's date with "any team member".
		w.b = *stored
		leas := f.Event(t, f.Yoga, w.lea, w.evs[3].StartsAt, 10)
		w.saveLink(t, func(l *booking.Link) { l.RescheduleMode = booking.RescheduleAnyMember })
		mark = len(outbox(t, db))
		got, err = w.move(leas)
		if err != nil {
			t.Fatal(err)
		}
		if got.Booking.Sequence != 2 {
			t.Errorf("sequence %d after two moves", got.Booking.Sequence)
		}
		all := outbox(t, db)
		if all[mark-1].ID != rem.ID || all[mark-1].Status != booking.OutboxSkipped {
			t.Errorf("old reminder %+v", all[mark-1])
		}
		_, ps := messagesOf(t, db, booking.SMSMoved)
		last := ps[len(ps)-1]
		if last.Items[0].FromMember != "Sofie" || last.Items[0].Member != "Lea" || !last.Items[0].From.Equal(w.evs[2].StartsAt) {
			t.Errorf("moved to another teacher %+v", last.Items[0])
		}
		invariant(t, db)
	})
}

// TestRescheduleCountsSMSLimits: a client's reschedule is the client's
// message, counted by the widget SMS limits like a booking; staff moves
// are not.
func TestRescheduleCountsSMSLimits(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newRescheduleWorld(t, db)
		lim := booking.DefaultSMSLimits()
		lim.PhoneHour = 1 // the "booked" message used it
		w.f.Store.SMSLimits = &lim
		if _, err := w.f.Store.MoveBooking(context.Background(), w.b.ID, w.evs[1].ID); err != nil {
			t.Fatal(err)
		}
		rows, _ := messagesOf(t, db, booking.SMSMoved)
		if len(rows) != 1 || rows[0].Status != booking.OutboxPending {
			t.Fatalf("staff move %+v", rows)
		}
		w.b.EventID = w.evs[1].ID
		if _, err := w.move(w.evs[2]); err != nil {
			t.Fatal(err)
		}
		rows, _ = messagesOf(t, db, booking.SMSMoved)
		if len(rows) != 2 || rows[1].Status != booking.OutboxSuppressed {
			t.Fatalf("client reschedule over the limit %+v", rows)
		}
	})
}

// TestRescheduleCutoffs: the link's own rescheduling cutoff replaces the
// cancellation cutoff for moves only.
func TestRescheduleCutoffs(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newRescheduleWorld(t, db)
		f := w.f
		start := w.evs[0].StartsAt
		// Cancellation cutoff 2 h; rescheduling follows it by default.
		f.Now = start.Add(-2*time.Hour - time.Minute)
		if err := booking.CanClientReschedule(&w.b, w.evs[0], f.Link, f.Now); err != nil {
			t.Errorf("before the cancel cutoff: %v", err)
		}
		f.Now = start.Add(-90 * time.Minute)
		if err := booking.CanClientReschedule(&w.b, w.evs[0], f.Link, f.Now); !errors.Is(err, booking.ErrRescheduleCutoff) {
			t.Errorf("after the cancel cutoff: %v", err)
		}
		// Own cutoff of 30 min: moves allowed until then, cancelling not.
		w.saveLink(t, func(l *booking.Link) { l.RescheduleOwnCutoff, l.RescheduleCutoffMin = true, 30 })
		if err := booking.CanClientReschedule(&w.b, w.evs[0], f.Link, f.Now); err != nil {
			t.Errorf("own cutoff not reached: %v", err)
		}
		if err := booking.CanClientCancel(&w.b, w.evs[0], f.Link, f.Now); !errors.Is(err, booking.ErrCutoffPassed) {
			t.Errorf("cancel after its cutoff: %v", err)
		}
		if _, err := w.move(w.evs[1]); err != nil {
			t.Fatalf("move before own cutoff: %v", err)
		}
		// From evs[1] (a day later) at 30 min before its start: refused.
		w.b.EventID = w.evs[1].ID
		f.Now = w.evs[1].StartsAt.Add(-30 * time.Minute)
		if _, err := w.move(w.evs[2]); !errors.Is(err, booking.ErrRescheduleCutoff) {
			t.Errorf("at own cutoff: %v", err)
		}
		// A longer own cutoff than the cancellation one refuses earlier.
		w.saveLink(t, func(l *booking.Link) { l.RescheduleCutoffMin = 24 * 60 })
		f.Now = w.evs[1].StartsAt.Add(-23 * time.Hour)
		if err := booking.CanClientReschedule(&w.b, w.evs[1], f.Link, f.Now); !errors.Is(err, booking.ErrRescheduleCutoff) {
			t.Errorf("24 h own cutoff at 23 h: %v", err)
		}
		if err := booking.CanClientCancel(&w.b, w.evs[1], f.Link, f.Now); err != nil {
			t.Errorf("cancel at 23 h: %v", err)
		}
		if err := booking.CanClientReschedule(&w.b, w.evs[1], nil, f.Now); !errors.Is(err, booking.ErrRescheduleNotAllowed) {
			t.Errorf("no link: %v", err)
		}
	})
}

// TestReschedulePassBooking: a pass-paid booking moves with its pass (no
// visit spent or returned) and not past the pass's last day.
func TestReschedulePassBooking(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		cl := passClient(t, f, 1)
		evs := f.YogaEvents(t, 5, 10)                                                                    // 03-03 .. 03-07
		p := sellPass(t, f, cl, passType(t, f, func(in *booking.PassTypeInput) { in.ValidityDays = 4 })) // ..03-05
		res, err := f.Store.Reserve(ctx, passReq(f, 1, p, 2, evs[0]))
		if err != nil {
			t.Fatal(err)
		}
		b := res.Bookings[0]
		entriesBefore := len(reloadPass(t, f, p).Entries)
		targets, err := f.Store.RescheduleTargets(ctx, res.Group.Token, b.ID, f.Now, 10)
		if err != nil {
			t.Fatal(err)
		}
		if ids := eventIDs(targets); fmt.Sprint(ids) != fmt.Sprint([]int64{evs[1].ID, evs[2].ID}) {
			t.Errorf("targets within the pass %v", ids)
		}
		got, err := f.Store.RescheduleByClient(ctx, booking.RescheduleRequest{Token: res.Group.Token, BookingID: b.ID, FromEventID: evs[0].ID, ToEventID: evs[2].ID})
		if err != nil {
			t.Fatal(err)
		}
		if got.Booking.Payment != booking.PaymentPass || got.Booking.PassID != p.ID {
			t.Errorf("moved booking lost its pass: %+v", got.Booking)
		}
		after := reloadPass(t, f, p)
		if after.Balance != 8 || len(after.Entries) != entriesBefore {
			t.Errorf("pass after the move: balance %d, %d entries (was %d)", after.Balance, len(after.Entries), entriesBefore)
		}
		before := stateOf(t, db, b.ID)
		_, err = f.Store.RescheduleByClient(ctx, booking.RescheduleRequest{Token: res.Group.Token, BookingID: b.ID, FromEventID: evs[2].ID, ToEventID: evs[4].ID})
		var nv *booking.PassNotValidError
		if !errors.As(err, &nv) {
			t.Errorf("past the pass's validity: %v", err)
		}
		if now := stateOf(t, db, b.ID); now != before {
			t.Errorf("refused move changed something:\n%s\n%s", before, now)
		}
		// Cancelling after the move gives the visits back to the pass.
		if _, err := f.Store.CancelByClient(ctx, res.Group.Token, b.ID, "192.0.2.7"); err != nil {
			t.Fatal(err)
		}
		if got := reloadPass(t, f, p); got.Balance != 10 {
			t.Errorf("balance after cancelling the moved booking %d", got.Balance)
		}
		invariant(t, db)
	})
}

// TestRescheduleOnlinePaid: a booking paid online keeps its payment.
func TestRescheduleOnlinePaid(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 3, 10)
		res := hold(t, f, 1, 2, evs[0])
		c := openCheckout(t, f, res)
		applyEvent(t, f, paidEvent(c), booking.StripeConfirmed)
		paid := bookingsOf(t, db, res.Group.ID)[0]
		got, err := f.Store.RescheduleByClient(ctx, booking.RescheduleRequest{Token: res.Group.Token, BookingID: paid.ID, FromEventID: evs[0].ID, ToEventID: evs[1].ID})
		if err != nil {
			t.Fatal(err)
		}
		b := got.Booking
		if b.Payment != booking.PaymentOnline || b.OnlinePaymentID != c.Payment.ID || b.PaidAmountMinor != paid.PaidAmountMinor ||
			b.PaidCurrency != paid.PaidCurrency || b.PaidAt == nil {
			t.Errorf("paid booking after the move %+v", b)
		}
		if pay := payment(t, f, c.Payment.ID); pay.AmountMinor != c.Payment.AmountMinor {
			t.Errorf("payment changed %+v", pay)
		}
		invariant(t, db)
	})
}

// TestRescheduleTargets: the list is what RescheduleByClient accepts, in
// start order, bounded by limit.
func TestRescheduleTargets(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newRescheduleWorld(t, db)
		f := w.f
		w.saveLink(t, func(l *booking.Link) { l.BufferMin = 60 })
		// Not offered: Pilates, Lea's date, too small, inside the buffer,
		// started, deleted, where the client already is.
		f.Event(t, f.Pilates, f.Marton, w.evs[1].StartsAt, 10)
		leas := f.Event(t, f.Yoga, w.lea, w.evs[1].StartsAt.Add(2*time.Hour), 10)
		f.Event(t, f.Yoga, f.Sofie, w.evs[2].StartsAt.Add(2*time.Hour), 1)
		f.Event(t, f.Yoga, f.Sofie, f.Now.Add(30*time.Minute), 10)
		f.Event(t, f.Yoga, f.Sofie, f.Now.Add(-10*time.Minute), 10)
		gone := f.Event(t, f.Yoga, f.Sofie, w.evs[3].StartsAt.Add(2*time.Hour), 10)
		if _, err := f.Store.DeleteEvent(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Reserve(ctx, req(f, 1, 1, w.evs[1])); err != nil {
			t.Fatal(err)
		}
		// Offered: a date starting just after the buffer.
		edge := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(time.Hour), 10)

		targets, err := f.Store.RescheduleTargets(ctx, w.res.Group.Token, w.b.ID, f.Now, 50)
		if err != nil {
			t.Fatal(err)
		}
		want := []int64{edge.ID, w.evs[2].ID, w.evs[3].ID, w.evs[4].ID}
		if fmt.Sprint(eventIDs(targets)) != fmt.Sprint(want) {
			t.Errorf("targets %v, want %v", eventIDs(targets), want)
		}
		if got, _ := f.Store.RescheduleTargets(ctx, w.res.Group.Token, w.b.ID, f.Now, 2); fmt.Sprint(eventIDs(got)) != fmt.Sprint(want[:2]) {
			t.Errorf("limit 2: %v", eventIDs(got))
		}
		w.saveLink(t, func(l *booking.Link) { l.RescheduleMode = booking.RescheduleAnyMember })
		targets, err = f.Store.RescheduleTargets(ctx, w.res.Group.Token, w.b.ID, f.Now, 50)
		if err != nil {
			t.Fatal(err)
		}
		want = []int64{edge.ID, leas.ID, w.evs[2].ID, w.evs[3].ID, w.evs[4].ID}
		if fmt.Sprint(eventIDs(targets)) != fmt.Sprint(want) {
			t.Errorf("any member: targets %v, want %v", eventIDs(targets), want)
		}
		// Link limited to Sofie again hides Lea.
		w.saveLink(t, func(l *booking.Link) { l.TeamMemberIDs = []int64{f.Sofie.ID} })
		if got, _ := f.Store.RescheduleTargets(ctx, w.res.Group.Token, w.b.ID, f.Now, 50); len(got) != 4 {
			t.Errorf("link without Lea: %v", eventIDs(got))
		}
		w.saveLink(t, func(l *booking.Link) { l.TeamMemberIDs = nil })

		// Refusals of the booking itself.
		if _, err := f.Store.RescheduleTargets(ctx, "nope", w.b.ID, f.Now, 50); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown token: %v", err)
		}
		other, err := f.Store.Reserve(ctx, req(f, 2, 1, w.evs[4]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.RescheduleTargets(ctx, other.Group.Token, w.b.ID, f.Now, 50); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("another group's booking: %v", err)
		}
		if _, err := f.Store.RescheduleTargets(ctx, w.res.Group.Token, w.b.ID, w.evs[0].StartsAt.Add(-time.Hour), 50); !errors.Is(err, booking.ErrRescheduleCutoff) {
			t.Errorf("after the cutoff: %v", err)
		}
		held := hold(t, f, 4, 1, w.evs[0])
		if _, err := f.Store.RescheduleTargets(ctx, held.Group.Token, held.Bookings[0].ID, f.Now, 50); !errors.Is(err, booking.ErrPaymentPending) {
			t.Errorf("held booking: %v", err)
		}

		// Everything offered is accepted (latest first: once in the date
		// inside the cutoff, the booking stays there).
		for i := len(targets) - 1; i >= 0; i-- {
			ev := targets[i]
			if _, err := w.move(&ev); err != nil {
				t.Errorf("offered event %d refused: %v", ev.ID, err)
				continue
			}
			w.b.EventID = ev.ID
		}
		invariant(t, db)
	})
}

// TestRescheduleRace: many requests move the same booking from the same
// event at once, each to another date; exactly one wins, the rest see the
// booking already moved (or, for the one-seat dates, no room), and no seat
// is lost or doubled.
func TestRescheduleRace(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newRescheduleWorld(t, db)
		f := w.f
		const workers = 20
		targets := make([]*booking.Event, workers)
		for i := range targets {
			capacity := 10
			if i%5 == 4 {
				capacity = 1 // the booking's 2 seats do not fit
			}
			targets[i] = f.Event(t, f.Yoga, f.Sofie, w.evs[4].StartsAt.Add(time.Duration(i+1)*time.Hour), capacity)
		}
		errs := make([]error, workers)
		start := make(chan struct{})
		done := make(chan int)
		for i := range workers {
			go func() {
				<-start
				_, errs[i] = f.Store.RescheduleByClient(ctx, booking.RescheduleRequest{
					Token: w.res.Group.Token, BookingID: w.b.ID, FromEventID: w.evs[0].ID, ToEventID: targets[i].ID, ClientIP: "192.0.2.7",
				})
				done <- i
			}()
		}
		close(start)
		for range workers {
			<-done
		}
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil:
				if winner >= 0 {
					t.Errorf("workers %d and %d both moved the booking", winner, i)
				}
				winner = i
			case errors.Is(err, booking.ErrRescheduleStale), errors.Is(err, booking.ErrFull) && i%5 == 4:
			default:
				t.Errorf("worker %d: %v", i, err)
			}
		}
		if winner < 0 {
			t.Fatal("nobody moved the booking")
		}
		stored, _ := f.Store.Booking(ctx, w.b.ID)
		if stored.EventID != targets[winner].ID || stored.Sequence != 1 {
			t.Errorf("booking %+v, winner %d", stored, winner)
		}
		for i, ev := range targets {
			want := 0
			if i == winner {
				want = 2
			}
			if got := seatsTaken(t, f, ev); got != want {
				t.Errorf("target %d holds %d seats, want %d", i, got, want)
			}
		}
		if rows, _ := messagesOf(t, db, booking.SMSMoved); len(rows) != 1 {
			t.Errorf("%d moved messages", len(rows))
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatal(bad)
		}
	})
}
