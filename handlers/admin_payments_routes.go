package handlers

import "github.com/gin-gonic/gin"

// registerPayments adds the Payments page: the money taken and given back,
// its CSV export, the online payment settings, the retry of a failed
// refund and the refund of a flagged payment. It shows every client's money and sets refund rules, so it is
// owner-only; staff refund and retry from the event window.
func (h *adminHandlers) registerPayments(g *gin.RouterGroup) {
	g.GET("/payments", h.paymentsPage)
	g.GET("/payments/export.csv", h.paymentsCSV)
	g.POST("/payments/settings", h.paymentsSettingsSave)
	g.POST("/payments/refunds/:id/retry", h.paymentsRetry)
	g.POST("/payments/flagged/:id/refund", h.paymentsRefundFlagged)
}
