// Package source brings reports into govbot: it fetches web pages with
// limits and clear errors (Fetch), turns a file or page into an indexed and
// recorded report without rebuilding the index (Ingester), and watches the
// listing pages and folders named in a sources config file (Watcher).
package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/govbot/govbot/internal/doctext"
)

// Defaults for FetchOptions.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBytes     = 10 << 20
	DefaultMaxRedirects = 5
	DefaultUserAgent    = "govbot/1 (+https://github.com/govbot/govbot)"
)

// Errors returned by Fetch, wrapped with the URL and detail.
var (
	ErrTimeout       = errors.New("timed out")
	ErrTooLarge      = errors.New("response too large")
	ErrContentType   = errors.New("unsupported content type")
	ErrRedirects     = errors.New("too many redirects")
	ErrBadURL        = errors.New("not an http(s) URL")
	ErrTruncatedBody = errors.New("response body truncated")
)

// StatusError is an HTTP response status other than 200 (or 304 for a
// conditional request).
type StatusError struct {
	URL    string
	Code   int
	Status string
}

func (e *StatusError) Error() string {
	hint := ""
	switch {
	case e.Code == http.StatusNotFound || e.Code == http.StatusGone:
		hint = " (the page does not exist: check the link)"
	case e.Code == http.StatusForbidden:
		hint = " (the site refused access)"
	case e.Code >= 500:
		hint = " (server error: try again later)"
	}
	return fmt.Sprintf("fetch %s: HTTP %s%s", e.URL, e.Status, hint)
}

// FetchOptions limits and conditions a fetch. The zero value uses the
// defaults.
type FetchOptions struct {
	// Client makes the request; nil means a client without its own timeout
	// (Timeout bounds the whole fetch instead).
	Client *http.Client
	// Timeout bounds the whole fetch, body included; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBytes caps the body size; 0 means DefaultMaxBytes (10 MiB).
	MaxBytes int64
	// MaxRedirects caps redirects followed; 0 means DefaultMaxRedirects.
	MaxRedirects int
	// UserAgent is sent as User-Agent; "" means DefaultUserAgent.
	UserAgent string
	// ETag and LastModified, from an earlier response, make the request
	// conditional (If-None-Match, If-Modified-Since).
	ETag, LastModified string
	// AllowPrivate lets the fetch reach internal addresses (loopback,
	// private, link-local, unique-local, CGNAT, metadata): for intranet
	// sites only. Without it such addresses are refused at connect time,
	// on every redirect hop (ErrInternalAddress). A Client given above is
	// used as it is, with whatever transport it has.
	AllowPrivate bool
}

// Page is a fetched response.
type Page struct {
	// URL is the final URL, after redirects.
	URL string
	// Body is the response body; nil when NotModified.
	Body []byte
	// ContentType is the Content-Type header (or the sniffed type when the
	// server sent none).
	ContentType string
	// ETag and LastModified are the response's validators.
	ETag, LastModified string
	// NotModified is true for a 304 answer to a conditional request.
	NotModified bool
}

// IsHTML reports whether the page is HTML.
func (p *Page) IsHTML() bool { return isHTMLType(p.ContentType) }

func isHTMLType(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// acceptedTypes are the media types govbot can read a report from.
var acceptedTypes = map[string]bool{
	"text/html": true, "application/xhtml+xml": true, "text/plain": true,
	"application/pdf": true, "application/x-pdf": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
}

// downloadTypes are the generic types sites serve attachments as: the body
// is accepted if its content is a PDF or a .docx.
var downloadTypes = map[string]bool{
	"application/octet-stream": true, "binary/octet-stream": true, "application/x-download": true,
	"application/force-download": true, "application/download": true, "application/zip": true,
	"application/x-zip-compressed": true, "application/unknown": true,
}

// Fetch gets rawURL with a timeout, a size cap, a redirect limit and a
// content-type check: HTML, plain text, PDF and Word (.docx) are read; a
// generic download type (application/octet-stream …) is read when the
// content is a PDF or .docx, and ContentType then names what it is; legacy
// .doc/.wps, images and others are refused with an explanation. Errors wrap ErrTimeout, ErrTooLarge,
// ErrContentType, ErrRedirects, ErrBadURL, ErrTruncatedBody,
// ErrInternalAddress or are a
// *StatusError, each naming the URL.
func Fetch(ctx context.Context, rawURL string, opts *FetchOptions) (*Page, error) {
	var o FetchOptions
	if opts != nil {
		o = *opts
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("fetch %q: %w", rawURL, ErrBadURL)
	}
	if !o.AllowPrivate && o.Client == nil {
		if err := checkLiteralHost(u); err != nil {
			return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()

	client := http.Client{Transport: publicTransport}
	if o.AllowPrivate {
		client.Transport = privateTransport
	}
	if o.Client != nil {
		client = *o.Client
	}
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > o.MaxRedirects {
			return fmt.Errorf("stopped after %d redirects: %w", o.MaxRedirects, ErrRedirects)
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", o.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.8,*/*;q=0.1")
	if o.ETag != "" {
		req.Header.Set("If-None-Match", o.ETag)
	}
	if o.LastModified != "" {
		req.Header.Set("If-Modified-Since", o.LastModified)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fetchErr(rawURL, o.Timeout, err)
	}
	defer resp.Body.Close()
	page := &Page{
		URL:          resp.Request.URL.String(),
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && (o.ETag != "" || o.LastModified != ""):
		page.NotModified = true
		return page, nil
	case resp.StatusCode != http.StatusOK:
		return nil, &StatusError{URL: rawURL, Code: resp.StatusCode, Status: resp.Status}
	}
	if resp.ContentLength > o.MaxBytes {
		return nil, fmt.Errorf("fetch %s: %d bytes announced, limit %d: %w", rawURL, resp.ContentLength, o.MaxBytes, ErrTooLarge)
	}
	download := isDownloadType(page.ContentType)
	if page.ContentType != "" && !download {
		if err := checkType(page.ContentType); err != nil {
			return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
		}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, o.MaxBytes+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("fetch %s: connection closed after %d of %d bytes: %w", rawURL, len(body), resp.ContentLength, ErrTruncatedBody)
		}
		return nil, fetchErr(rawURL, o.Timeout, err)
	}
	if int64(len(body)) > o.MaxBytes {
		return nil, fmt.Errorf("fetch %s: more than %d bytes: %w", rawURL, o.MaxBytes, ErrTooLarge)
	}
	if page.ContentType == "" || download {
		// No header, or a generic one: sniff, and apply the same check.
		page.ContentType = sniffType(rawURL, body)
		if err := checkType(page.ContentType); err != nil {
			return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
		}
	}
	page.Body = body
	return page, nil
}

// checkType accepts HTML and plain text and explains any other type.
func checkType(ct string) error {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("bad Content-Type %q: %w", ct, ErrContentType)
	}
	if acceptedTypes[mt] {
		return nil
	}
	why := "govbot reads HTML pages, plain text, PDF and Word .docx"
	switch f := doctext.Detect("", mt, nil); {
	case f == doctext.DOC || f == doctext.WPS:
		why = f.String() + " files are not supported: save as .docx or PDF and add that"
	case strings.HasPrefix(mt, "image/"):
		why = "an image has no text to index"
	case downloadTypes[mt]:
		why = "a download that is neither PDF nor .docx"
	}
	return fmt.Errorf("%s (%s): %w", mt, why, ErrContentType)
}

func isDownloadType(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return downloadTypes[mt]
}

// sniffType is the type of a body served without a useful Content-Type:
// PDF and .docx by their magic bytes (doctext.Detect, which also names
// .doc/.wps), else what a browser would sniff.
func sniffType(rawURL string, body []byte) string {
	switch doctext.Detect(rawURL, "", body) {
	case doctext.PDF:
		return "application/pdf"
	case doctext.DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case doctext.DOC:
		return "application/msword"
	case doctext.WPS:
		return "application/vnd.ms-works"
	}
	return http.DetectContentType(body)
}

// fetchErr classifies a transport error.
func fetchErr(rawURL string, timeout time.Duration, err error) error {
	if errors.Is(err, ErrInternalAddress) {
		var ue *url.Error
		if errors.As(err, &ue) && ue.URL != rawURL {
			return fmt.Errorf("fetch %s: redirected to %s: %w", rawURL, ue.URL, errors.Unwrap(ue))
		}
		return fmt.Errorf("fetch %s: %w", rawURL, unwrapURLError(err))
	}
	if errors.Is(err, ErrRedirects) {
		return fmt.Errorf("fetch %s: %w", rawURL, ErrRedirects)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("fetch %s: no complete answer within %s: %w", rawURL, timeout, ErrTimeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Timeout() {
		return fmt.Errorf("fetch %s: %v: %w", rawURL, ue.Err, ErrTimeout)
	}
	return fmt.Errorf("fetch %s: %w", rawURL, err)
}

// unwrapURLError drops the url.Error layer, whose text repeats the URL.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
