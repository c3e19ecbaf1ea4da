package handlers

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

type widgetListPage struct {
	Listing             *widget.Listing
	ServiceID, MemberID int64
	PrevDay             string // the last day shown before this page, so its heading is not repeated
	MoreURL             string
	Rows                []listDay // Listing.Days ready to print (listRows)
}

// list shows the link's upcoming events; with ?offset= and htmx, only the
// next page ("Show more").
func (h *widgetHandlers) list(c *gin.Context) {
	link, cat, ok := h.open(c)
	if !ok {
		return
	}
	v := h.newWidgetView(c, link, cat)
	if err := h.fillList(c, v); err != nil {
		h.serverError(c, err)
		return
	}
	var shown []booking.Event
	for _, d := range v.Page.(*widgetListPage).Listing.Days {
		shown = append(shown, d.Events...)
	}
	h.cacheable(c, link, shown...)
	listRows(v, v.Page.(*widgetListPage))
	if v.Page.(*widgetListPage).Offset() > 0 {
		h.render(c, 200, "widget_list", v, "more")
		return
	}
	h.render(c, 200, "widget_list", v)
}

// fillList loads the page of events the query asks for into v.
func (h *widgetHandlers) fillList(c *gin.Context, v *widgetView) error {
	q := widget.ListQuery{ServiceID: queryID(c, "service"), TeamMemberID: queryID(c, "member")}
	q.Offset, _ = strconv.Atoi(c.Query("offset"))
	listing, err := h.flow.List(c.Request.Context(), v.Link, v.Cat, q)
	if err != nil {
		return err
	}
	p := &widgetListPage{Listing: listing, ServiceID: q.ServiceID, MemberID: q.TeamMemberID, PrevDay: c.Query("prevday")}
	if listing.More {
		last := listing.Days[len(listing.Days)-1].Date.Format("2006-01-02")
		p.MoreURL = v.URL("/w/"+v.Link.Slug, "service", idString(q.ServiceID), "member", idString(q.TeamMemberID),
			"offset", strconv.Itoa(listing.NextOffset), "prevday", last)
	}
	v.Page, v.Title = p, v.L.T("widget_list_title")
	return nil
}

// Offset is the position of this page in the list.
func (p *widgetListPage) Offset() int {
	if p.Listing.More {
		return p.Listing.NextOffset - len(p.Listing.Days[0].Events) // only used as "> 0"
	}
	return 0
}

// queryID reads an optional positive id; anything else counts as absent.
func queryID(c *gin.Context, name string) int64 {
	id, err := strconv.ParseInt(c.Query(name), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
