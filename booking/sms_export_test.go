package booking

// UnlockedSMSLimits returns l with the per-key lock of the SMS counts
// turned off. Only the concurrency test's control uses it, to prove that
// the test catches a limit passed under concurrency.
func UnlockedSMSLimits(l SMSLimits) SMSLimits {
	l.unlocked = true
	return l
}
