package fakestripe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"
)

// ErrNotOpen: the session cannot be paid (expired, paid, or past its
// expires_at).
var ErrNotOpen = errors.New("fakestripe: session is not open")

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// webhookHeader is a Stripe-Signature header for payload at t, made by
// stripe-go's own test helper.
func webhookHeader(payload []byte, secret string, t time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: t}).Header
}

// Sign returns the Stripe-Signature header for payload, signed now with
// the fake's webhook secret.
func (s *Server) Sign(payload []byte) string {
	return webhookHeader(payload, s.opt.WebhookSecret, s.opt.Now())
}

// EventPayload builds an event body of type typ around a session as the
// API would show it: tests change the session (amount, metadata, id) to
// make events Stripe would never send us for real ones.
func (s *Server) EventPayload(eventID, typ string, cs Session) []byte {
	return mustJSON(map[string]any{
		"id": eventID, "object": "event", "api_version": stripe.APIVersion,
		"created": s.opt.Now().Unix(), "type": typ, "livemode": false, "pending_webhooks": 1,
		"data": map[string]any{"object": s.sessionJSON(&cs)},
	})
}

// NewEventID returns a fresh evt_ id.
func (s *Server) NewEventID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextID("evt")
}

// event records an event about cs and starts delivering it when a
// webhook URL is set; s.mu is held.
func (s *Server) event(typ string, cs *Session) Event {
	id := s.nextID("evt")
	ev := Event{ID: id, Type: typ, Session: cs.ID, Payload: s.EventPayload(id, typ, *cs)}
	s.events = append(s.events, ev)
	if s.webhookURL != "" {
		s.deliverLocked(ev)
	}
	return ev
}

// Pay completes an open session as if the client paid at Checkout: a
// PaymentIntent, status complete and paid, and a
// checkout.session.completed event. It returns the event.
func (s *Server) Pay(sessionID string) (Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.changed()
	cs, ok := s.sessions[sessionID]
	if !ok {
		return Event{}, fmt.Errorf("fakestripe: no session %s", sessionID)
	}
	if cs.Status != "open" || s.opt.Now().Unix() >= cs.ExpiresAt {
		return Event{}, fmt.Errorf("%w: %s is %s", ErrNotOpen, sessionID, cs.Status)
	}
	cs.Status, cs.PaymentStatus = "complete", "paid"
	cs.PaymentIntent = s.nextID("pi")
	return s.event("checkout.session.completed", cs), nil
}

// Expire ends an open session as Stripe does at its expires_at, with a
// checkout.session.expired event.
func (s *Server) Expire(sessionID string) (Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.changed()
	cs, ok := s.sessions[sessionID]
	if !ok || cs.Status != "open" {
		return Event{}, fmt.Errorf("%w: %s", ErrNotOpen, sessionID)
	}
	cs.Status = "expired"
	return s.event("checkout.session.expired", cs), nil
}

// Redeliver sends a recorded event again (as "Resend" in the dashboard).
func (s *Server) Redeliver(eventID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ev := range s.events {
		if ev.ID == eventID {
			if s.webhookURL == "" {
				return errors.New("fakestripe: no webhook URL")
			}
			s.deliverLocked(ev)
			return nil
		}
	}
	return fmt.Errorf("fakestripe: no event %s", eventID)
}

// deliverLocked starts delivering ev; s.mu is held.
func (s *Server) deliverLocked(ev Event) {
	if s.ctx.Err() != nil {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.deliver(ev)
	}()
}

// deliver posts ev until it gets a 2xx, waiting longer after each
// failure, like Stripe (which signs every attempt anew).
func (s *Server) deliver(ev Event) {
	wait := s.opt.RetryFirst
	for attempt := 1; s.opt.MaxAttempts <= 0 || attempt <= s.opt.MaxAttempts; attempt++ {
		s.mu.Lock()
		u := s.webhookURL
		i := len(s.deliveries)
		s.deliveries = append(s.deliveries, Delivery{EventID: ev.ID, Attempt: attempt, Started: time.Now()})
		s.changed()
		s.mu.Unlock()

		ctx, cancel := context.WithTimeout(s.ctx, s.opt.DeliveryTimeout)
		status, err := s.post(ctx, u, ev.Payload)
		cancel()

		s.mu.Lock()
		d := &s.deliveries[i]
		d.Status, d.Done = status, true
		if err != nil {
			d.Err = err.Error()
		}
		s.changed()
		s.mu.Unlock()
		if status >= 200 && status < 300 {
			return
		}
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, s.opt.RetryMax)
	}
}
