// Package notify sends SMS: the phone confirmation codes of the widget
// (Verifier) and the messages the booking core writes to its outbox
// (Sender, Worker). Production uses Twilio through twilio-go; without
// credentials the development implementations log instead of sending.
package notify
