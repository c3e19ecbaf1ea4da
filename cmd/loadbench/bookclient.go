package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/PuerkitoBio/goquery"
)

// bookClient books through the widget's pages as a browser without
// JavaScript does: it reads each form from the page and sends it back
// with the visitor's answers, so the hidden fields (the signed selection,
// its request key, the carried language) are whatever the server put
// there.
type bookClient struct {
	http *http.Client
	base string // the server, http://host:port
	slug string
	// phone numbers the next booking: every booking gets its own valid
	// Hungarian mobile number, as distinct visitors have.
	phone atomic.Int64
}

func newBookClient(base, slug string, conns int) *bookClient {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = conns*2, conns*2
	c := &bookClient{
		base: base, slug: slug,
		http: &http.Client{
			Transport: tr,
			// The booking's answer is its redirect to the manage page;
			// the load counts it without loading that page.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	c.phone.Store(rand.Int64N(9_000_000))
	return c
}

// contactURLs walks the list (following Show more) until it has n
// bookable events or the list ends, then opens each event page and
// returns the URL its Continue button goes to: the contact step for one
// seat in that event.
func (c *bookClient) contactURLs(ctx context.Context, n, workers int) ([]string, error) {
	events, err := c.eventURLs(ctx, n)
	if err != nil {
		return nil, err
	}
	return c.contactURLsOf(ctx, events, workers)
}

// eventURLs reads up to n bookable events' links from the list.
func (c *bookClient) eventURLs(ctx context.Context, n int) ([]string, error) {
	var events []string
	page, header := c.base+"/w/"+c.slug, http.Header{}
	for len(events) < n && page != "" {
		doc, err := getDoc(ctx, c.http, page, header)
		if err != nil {
			return nil, err
		}
		doc.Find("a.gb-event").Each(func(_ int, a *goquery.Selection) {
			if href, ok := a.Attr("href"); ok && len(events) < n {
				events = append(events, resolve(page, href))
			}
		})
		page = ""
		if more, ok := doc.Find("#gb-more").Attr("href"); ok {
			page = resolve(c.base+"/w/"+c.slug, more)
			header.Set("HX-Request", "true") // Show more is an htmx link
		}
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("the list of %s has no bookable event", c.slug)
	}
	return events, nil
}

// contactURLsOf opens each event page, workers at a time, and returns
// where their Continue buttons go.
func (c *bookClient) contactURLsOf(ctx context.Context, events []string, workers int) ([]string, error) {
	out := make([]string, len(events))
	errs := make([]error, len(events))
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(events); i = int(next.Add(1) - 1) {
				out[i], errs[i] = c.contactURL(ctx, events[i])
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// contactURL reads an event page's selection form and returns the URL
// its Continue button submits, as the form stands (one seat, no other
// dates ticked).
func (c *bookClient) contactURL(ctx context.Context, eventURL string) (string, error) {
	doc, err := getDoc(ctx, c.http, eventURL, nil)
	if err != nil {
		return "", err
	}
	f, err := parseForm(doc, eventURL, "form.gb-select")
	if err != nil {
		return "", err
	}
	return f.getURL()
}

// outcome is how one booking attempt ended.
type outcome int

const (
	booked  outcome = iota
	refused         // the event is no longer bookable (full): nothing booked
	failed
)

// book opens the contact step at contactURL and submits it as a new
// visitor from address ip. It returns the manage page the booking
// redirected to.
func (c *bookClient) book(ctx context.Context, contactURL, ip string) (outcome, string, error) {
	f, out, err := c.openContact(ctx, contactURL, ip)
	if f == nil {
		return out, "", err
	}
	return c.submit(ctx, f, ip)
}

// openContact loads the contact step and returns its form, or why not.
func (c *bookClient) openContact(ctx context.Context, contactURL, ip string) (*form, outcome, error) {
	header := http.Header{"X-Forwarded-For": {ip}}
	doc, status, err := getPage(ctx, c.http, contactURL, header)
	switch {
	case err != nil:
		return nil, failed, fmt.Errorf("contact step: %w", err)
	case status == http.StatusUnprocessableEntity:
		// The selection no longer holds (the event filled up since the
		// list was read): the event page comes back with the reason.
		return nil, refused, nil
	case status != http.StatusOK:
		return nil, failed, fmt.Errorf("contact step: GET %s: %d", contactURL, status)
	}
	f, err := parseForm(doc, contactURL, "form.gb-contact")
	if err != nil {
		return nil, failed, err
	}
	if f.Method != http.MethodPost {
		return nil, failed, fmt.Errorf("contact form method %s, want POST", f.Method)
	}
	return f, booked, nil
}

// submit fills in the contact form as a new visitor and posts it.
func (c *bookClient) submit(ctx context.Context, f *form, ip string) (outcome, string, error) {
	n := c.phone.Add(1) % 10_000_000
	f.Values.Set("first_name", "Load")
	f.Values.Set("last_name", fmt.Sprintf("Visitor %d", n))
	f.Values.Set("phone", fmt.Sprintf("+36 20 %03d %04d", n/10000, n%10000))

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.Action, strings.NewReader(f.Values.Encode()))
	if err != nil {
		return failed, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	resp, err := c.http.Do(req)
	if err != nil {
		return failed, "", fmt.Errorf("book: %w", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	switch loc := resp.Header.Get("Location"); {
	case resp.StatusCode == http.StatusSeeOther && strings.Contains(loc, "/m/"):
		return booked, resolve(f.Action, loc), nil
	case resp.StatusCode == http.StatusConflict:
		// It filled up between the contact step and the booking.
		return refused, "", nil
	default:
		return failed, "", fmt.Errorf("book: %s (Location %q): %.200s", resp.Status, loc, body)
	}
}

// randomIP is a visitor's address: private, so it is nobody's, and random,
// so the per-address limits count each booking as a different visitor.
func randomIP() string {
	return fmt.Sprintf("10.%d.%d.%d", rand.IntN(256), rand.IntN(256), 1+rand.IntN(254))
}
