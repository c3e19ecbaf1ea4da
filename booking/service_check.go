package booking

// ValidateService reports what is wrong with a service's settings without
// saving anything, so a form can show the core's errors together with its
// own parsing errors (a price that is not a number) in one response.
func ValidateService(in ServiceInput) error {
	in.normalize()
	return in.validate()
}
