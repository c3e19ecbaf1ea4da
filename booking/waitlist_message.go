package booking

import "context"

// queueWaitlistMessage queues a waitlist message (joined or offer) about
// entry e of event ev: the payload names the place (p) and holds one item
// for the event, with no booking yet (BookingID 0), so the message can
// say which class and, by e-mail, how long it lasts. The outbox row
// points at the entry (outbox.waitlist_id).
func queueWaitlistMessage(ctx context.Context, w *outboxWriter, kind string, e *WaitlistEntry, ev *Event, to recipient, p MessageWaitlist) error {
	it, err := w.item(ctx, &Booking{Seats: e.Seats}, ev)
	if err != nil {
		return err
	}
	w.waitlistID = e.ID
	defer func() { w.waitlistID = 0 }()
	return w.add(ctx, kind, to, e.Lang, 0, 0, MessagePayload{Items: []MessageItem{it}, Waitlist: &p}, w.now)
}
