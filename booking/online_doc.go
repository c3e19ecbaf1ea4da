package booking

// Online payment, as the core runs it (issue 11).
//
// Hold: Reserve with Hold takes the seats in its usual transaction and
// marks the group pending payment until the location's hold minutes run
// out, the bookings PaymentOnlinePending, with a JobHoldExpire due then;
// no SMS yet. NewCheckout opens a payment row (one per Checkout Session,
// each with its own idempotency key), superseding any open one; the
// caller creates the session at Stripe and reports CheckoutOpened, or
// CheckoutFailed, which releases the hold at once.
//
// Webhook: ApplyStripeEvent records the event id and applies it in one
// transaction. The group's row is locked first (then its payment, then
// its events), and "confirm" and "release" are both conditional on the
// group still pending, so whichever of the webhook and the hold's job
// commits first wins and the other sees the result: a payment confirming
// a released group (or an older, superseded session) is refunded, never
// booked. Amount or currency other than the payment's are flagged and
// left to staff (RefundFlagged).
//
// Refunds are ledger rows (payment_entries) written pending with a
// JobRefund in the transaction that decides them: a client cancel before
// the cutoff (when the location refunds those), an event deleted, a staff
// refund (never more than what is left: the booking's event lock
// serialises them), a late or duplicate payment. The worker sends each
// with the idempotency key RefundIdempotencyKey(entry) and records the
// outcome (RefundSucceeded, RefundFailed; staff RetryRefund).
//
// Jobs (jobs.go) are leased like the outbox: ClaimJobs with SKIP LOCKED
// on PostgreSQL, finished only by the lease's owner.
