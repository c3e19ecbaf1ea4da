// Package booking is the domain core of groupbook: locations, services, team
// members, events and series, clients, bookings and widget-link settings,
// every booking rule, and the store on bun that enforces them.
//
// It knows nothing of HTTP. Callers pass plain values in and get values and
// sentinel errors back; user-facing validation problems come back as message
// ids (see FieldErrors) that the edge translates.
package booking
