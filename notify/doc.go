// Package notify sends the messages of the booking core's outbox, by SMS
// and by e-mail, and the phone confirmation codes of the widget
// (Verifier). One Worker sends every row by its channel: SMS through a
// Sender (Twilio via twilio-go), e-mail through a Mailer (SMTP via
// go-mail), with texts from the locale files (Render, RenderEmail).
// Without credentials the development implementations log instead of
// sending.
package notify
