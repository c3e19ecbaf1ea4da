package handlers

import "github.com/gin-gonic/gin"

// registerEvents adds the event window: an event's details and clients,
// and every change staff make to its bookings. Staff and owners both use
// it; each handler checks the event is the admin's location's and the
// booking is the event's, whatever ids the URL carries.
func (h *adminHandlers) registerEvents(g *gin.RouterGroup) {
	g.GET("/events/:id", h.eventWindow)
	g.GET("/events/:id/client-lookup", h.eventClientLookup)
	g.POST("/events/:id/clients", h.eventAddClient)
	g.POST("/events/:id/bookings/:bid/status", h.eventBookingStatus)
	g.POST("/events/:id/bookings/:bid/seats", h.eventBookingSeats)
	g.POST("/events/:id/bookings/:bid/comment", h.eventBookingComment)
	g.POST("/events/:id/bookings/:bid/delete", h.eventBookingDelete)
	g.POST("/events/:id/bookings/:bid/paid", h.eventBookingPaid)
	g.POST("/events/:id/bookings/:bid/pay-pass", h.eventBookingPayPass)
	g.POST("/events/:id/bookings/:bid/unpaid", h.eventBookingUnpaid)
	g.POST("/events/:id/bookings/:bid/refund", h.eventBookingRefund)
	g.POST("/events/:id/bookings/:bid/refunds/:eid/retry", h.eventBookingRetryRefund)
	g.GET("/events/:id/bookings/:bid/move", h.eventMoveForm)
	g.POST("/events/:id/bookings/:bid/move", h.eventMove)
	g.POST("/events/:id/waitlist/:wid/book", h.eventWaitlistBook)
	g.POST("/events/:id/waitlist/:wid/up", h.eventWaitlistMove(true))
	g.POST("/events/:id/waitlist/:wid/down", h.eventWaitlistMove(false))
	g.POST("/events/:id/waitlist/:wid/remove", h.eventWaitlistRemove)
}
