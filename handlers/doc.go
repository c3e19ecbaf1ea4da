// Package handlers is the HTTP edge of groupbook, on Gin: the router, the
// middleware every request passes through, and thin handlers that parse a
// request, call the booking core and render the answer. Nothing here decides
// a booking rule; that is the booking package's job.
package handlers
