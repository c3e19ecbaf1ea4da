package booking

// Payment is how a booking is paid. This issue takes no money online: a
// booking is paid at the desk, by a pass, or not at all (free).
type Payment string

// Payment statuses.
const (
	PaymentUnpaid Payment = "unpaid"
	PaymentDesk   Payment = "desk"
	PaymentPass   Payment = "pass"
	PaymentFree   Payment = "free"
)

// Paid tells whether nothing is owed on the booking.
func (p Payment) Paid() bool { return p == PaymentDesk || p == PaymentPass || p == PaymentFree }

// Desk payment methods.
const (
	MethodCash  = "cash"
	MethodCard  = "card"
	MethodOther = "other"
)

// ValidPayMethod tells whether m is a desk payment method.
func ValidPayMethod(m string) bool { return m == MethodCash || m == MethodCard || m == MethodOther }
