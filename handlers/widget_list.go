package handlers

import (
	"net/http"
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
	more                bool      // a "Show more" page (it has a page key)
}

// list shows the link's upcoming events; with ?after= and htmx, only the
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
	if v.Page.(*widgetListPage).more {
		h.render(c, 200, "widget_list", v, "more")
		return
	}
	h.render(c, 200, "widget_list", v)
}

// fillList loads the page of events the query asks for into v.
func (h *widgetHandlers) fillList(c *gin.Context, v *widgetView) error {
	q := widget.ListQuery{ServiceID: queryID(c, "service"), TeamMemberID: queryID(c, "member")}
	after, more := parseAfter(c.Query("after"))
	q.After = after
	listing, err := h.flow.List(c.Request.Context(), v.Link, v.Cat, q)
	if err != nil {
		return err
	}
	p := &widgetListPage{Listing: listing, ServiceID: q.ServiceID, MemberID: q.TeamMemberID, more: more}
	if more {
		// The previous page ended on the key's local day.
		p.PrevDay = after.StartsAt.In(v.Cat.Zone).Format("2006-01-02")
	}
	if listing.More {
		p.MoreURL = v.URL("/w/"+v.Link.Slug, "service", idString(q.ServiceID), "member", idString(q.TeamMemberID),
			"after", formatAfter(listing.Next))
	}
	v.Page, v.Title = p, v.L.T("widget_list_title")
	return nil
}

// redirectOffset sends an old "Show more" link (?offset=N, from before
// keyset paging) to the first page with the same filters. Serving it would
// make the database read and drop N rows: anyone could ask for a huge N.
func redirectOffset(c *gin.Context) bool {
	n, err := strconv.Atoi(c.Query("offset"))
	if err != nil || n <= 0 {
		return false
	}
	u := *c.Request.URL
	q := u.Query()
	q.Del("offset")
	q.Del("prevday")
	u.RawQuery = q.Encode()
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusFound, u.RequestURI())
	return true
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
