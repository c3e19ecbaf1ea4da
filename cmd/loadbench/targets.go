package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// target is one URL wrk loads, with the headers that pick its variant.
type target struct {
	Name    string
	URL     string
	Headers []string
}

// hxRequest is the header htmx sends: the server answers with the
// fragment it swaps in rather than the whole page.
const hxRequest = "HX-Request: true"

// findTargets reads the widget's pages the way a browser gets to them and
// returns the URLs to load: the list, an event page with its "View all
// dates", and the list's "Show more" page. The links are taken from the
// HTML, not built, so they follow whatever form the server gives them.
func findTargets(ctx context.Context, client *http.Client, base, slug string) ([]target, error) {
	listURL := base + "/w/" + slug
	list, err := getDoc(ctx, client, listURL, nil)
	if err != nil {
		return nil, err
	}
	more, ok := list.Find("#gb-more").Attr("href")
	if !ok {
		return nil, errors.New("the list page has no Show more link (too few events?)")
	}
	var events []string
	list.Find("a.gb-event").Each(func(_ int, a *goquery.Selection) {
		if href, ok := a.Attr("href"); ok {
			events = append(events, href)
		}
	})
	if len(events) == 0 {
		return nil, errors.New("the list page links no bookable event")
	}
	// The event page to load is the first whose Book another block has
	// more dates than it shows, so "View all dates" has work to do.
	var event, all string
	for _, href := range events[:min(len(events), 10)] {
		u := resolve(listURL, href)
		doc, err := getDoc(ctx, client, u, nil)
		if err != nil {
			return nil, err
		}
		if doc.Find(`button[name="all"][value="1"]`).Length() > 0 {
			event, all = u, withQuery(u, "all", "1")
			break
		}
	}
	if event == "" {
		return nil, errors.New("no event among the first ten has a View all dates button")
	}
	return []target{
		{"list", listURL, nil},
		{"list fragment", listURL, []string{hxRequest}},
		{"event", event, nil},
		{"event fragment", event, []string{hxRequest}},
		{"event, View all dates", all, nil},
		{"Show more (fragment)", resolve(listURL, more), []string{hxRequest}},
	}, nil
}

// getDoc fetches a page that must answer 200 and parses it.
func getDoc(ctx context.Context, client *http.Client, u string, header http.Header) (*goquery.Document, error) {
	doc, status, err := getPage(ctx, client, u, header)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %s", u, status, http.StatusText(status))
	}
	return doc, nil
}

// getPage fetches and parses a page whatever its status.
func getPage(ctx context.Context, client *http.Client, u string, header http.Header) (*goquery.Document, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", u, err)
	}
	return doc, resp.StatusCode, nil
}

// resolve makes href absolute against the page it was found on.
func resolve(page, href string) string {
	b, err := url.Parse(page)
	if err != nil {
		return href
	}
	h, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return href
	}
	return b.ResolveReference(h).String()
}

// withQuery sets one query parameter on u.
func withQuery(u, key, value string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	q := p.Query()
	q.Set(key, value)
	p.RawQuery = q.Encode()
	return p.String()
}
