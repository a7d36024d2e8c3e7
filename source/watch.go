package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/govbot/govbot/internal/doctext"
	"github.com/govbot/govbot/store"
)

// maxLinksPerRound bounds how many new report pages one poll of a listing
// fetches, so that a listing that suddenly links to everything (a redesign)
// is worked through over several rounds instead of one long burst.
const maxLinksPerRound = 50

// WatchState is what the watcher keeps between rounds and where it logs
// errors for /stats; any store.Backend is one.
type WatchState interface {
	store.SourceState
	LogError(where string, cause error) error
}

// Watcher polls the configured sources and ingests new reports.
type Watcher struct {
	Sources  []Source
	Store    WatchState
	Ingester *Ingester
	// Fetch limits every request (its ETag/LastModified are ignored).
	Fetch FetchOptions
	// Log receives one line per ingested report and per error; nil discards.
	Log *slog.Logger
	// OnIngest, if set, is called after each report is ingested (e.g. to
	// wake the announcement broadcaster).
	OnIngest func(Ingested)
}

// Ingested is one report a round ingested.
type Ingested struct {
	Source string
	// Link is the report's URL or file path.
	Link string
	Result
}

// Round polls every source once. It returns what it ingested and the
// errors met, joined: one failing source or page does not stop the others.
func (w *Watcher) Round(ctx context.Context) ([]Ingested, error) {
	var out []Ingested
	var errs []error
	for i := range w.Sources {
		src := &w.Sources[i]
		var got []Ingested
		var err error
		if src.Folder != "" {
			got, err = w.pollFolder(ctx, src)
		} else {
			got, err = w.pollListing(ctx, src)
		}
		out = append(out, got...)
		if err != nil {
			errs = append(errs, fmt.Errorf("source %s: %w", src.Name, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return out, errors.Join(errs...)
}

// Run polls every interval until ctx is done, starting at once.
func (w *Watcher) Run(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := w.Round(ctx); err != nil && ctx.Err() == nil {
			w.logger().Warn("watch round had errors", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (w *Watcher) logger() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Log
}

func (w *Watcher) ingest(ctx context.Context, src *Source, announce bool, link string, doc Document) (Ingested, error) {
	in := *w.Ingester
	in.Announce = in.Announce && announce
	if src.Issuer != "" {
		doc.Meta.Issuer = src.Issuer
	}
	res, err := in.Ingest(ctx, doc)
	if err != nil {
		return Ingested{}, err
	}
	got := Ingested{Source: src.Name, Link: link, Result: res}
	w.logger().Info("ingested", "source", src.Name, "link", link, "status", res.Status, "report", res.Report.ID, "queued", res.Queued)
	if w.OnIngest != nil {
		w.OnIngest(got)
	}
	return got, nil
}

func (w *Watcher) fail(src *Source, link string, err error) {
	w.logger().Warn("ingest failed", "source", src.Name, "link", link, "err", err)
	_ = w.Store.LogError("watch "+src.Name, err)
}

// pollListing fetches a listing page (conditionally, with the validators
// of the last poll), and ingests the pages it links to that match the
// source's pattern and were not seen before.
func (w *Watcher) pollListing(ctx context.Context, src *Source) ([]Ingested, error) {
	ps, err := w.Store.PollState(src.Name)
	if err != nil {
		return nil, err
	}
	first := ps.LastPoll.IsZero()
	opts := w.Fetch
	opts.ETag, opts.LastModified = ps.ETag, ps.LastModified
	opts.AllowPrivate = opts.AllowPrivate || src.AllowPrivate
	page, err := Fetch(ctx, src.URL, &opts)
	ps.LastPoll = time.Now().UTC()
	if err != nil {
		ps.LastError = err.Error()
		_ = w.Store.SetPollState(src.Name, ps)
		_ = w.Store.LogError("watch "+src.Name, err)
		return nil, err
	}
	if page.NotModified {
		ps.LastError = ""
		return nil, w.Store.SetPollState(src.Name, ps)
	}
	links := onHosts(ExtractLinks(page.Body, page.URL, src.LinkPattern()), src.linkHosts(page.URL))
	seen, err := w.Store.Seen(src.Name, links...)
	if err != nil {
		return nil, err
	}
	var out []Ingested
	var errs []error
	fetched := 0
	for _, link := range links {
		if seen[link] || ctx.Err() != nil {
			continue
		}
		if fetched == maxLinksPerRound {
			errs = append(errs, fmt.Errorf("more than %d new links; the rest wait for the next round", maxLinksPerRound))
			break
		}
		fetched++
		got, err := w.fetchAndIngest(ctx, src, !first || src.AnnounceExisting, link)
		if err != nil {
			w.fail(src, link, err)
			errs = append(errs, err)
			if !permanent(err) {
				continue // retried next round
			}
		}
		// Mark seen after a success, and after an error retrying cannot fix.
		if err := w.Store.MarkSeen(src.Name, map[string]string{link: got.reportID()}); err != nil {
			return out, err
		}
		if err == nil && got.Report != nil {
			out = append(out, got)
		}
	}
	// The validators are saved last: a round cut short polls the page again.
	ps.ETag, ps.LastModified, ps.LastError = page.ETag, page.LastModified, ""
	if len(errs) > 0 || fetched == maxLinksPerRound {
		ps.ETag, ps.LastModified = "", ""
		ps.LastError = errors.Join(errs...).Error()
	}
	if err := w.Store.SetPollState(src.Name, ps); err != nil {
		return out, err
	}
	return out, errors.Join(errs...)
}

func (g Ingested) reportID() string {
	if g.Report == nil {
		return ""
	}
	return g.Report.ID
}

func (w *Watcher) fetchAndIngest(ctx context.Context, src *Source, announce bool, link string) (Ingested, error) {
	opts := w.Fetch
	opts.ETag, opts.LastModified = "", ""
	opts.AllowPrivate = opts.AllowPrivate || src.AllowPrivate
	page, err := Fetch(ctx, link, &opts)
	if err != nil {
		return Ingested{}, err
	}
	return w.ingest(ctx, src, announce, link, Document{Name: link, Data: page.Body, ContentType: page.ContentType, URL: link})
}

// permanent reports whether a page error will not go away by retrying: the
// page is gone, refused, not a report page, not text, or a document that
// cannot be read (encrypted, legacy format, scanned).
func permanent(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code >= 400 && se.Code < 500 && se.Code != http.StatusTooManyRequests && se.Code != http.StatusRequestTimeout
	}
	return errors.Is(err, ErrContentType) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrBadURL) || errors.Is(err, ErrInternalAddress) ||
		// A password, a legacy format or a scan does not change by
		// fetching again; a truncated download (doctext.ErrBroken) may.
		errors.Is(err, doctext.ErrEncrypted) || errors.Is(err, doctext.ErrUnsupported) || errors.Is(err, doctext.ErrNoText)
}

// within reports whether path is root or inside it (both resolved).
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// linkHosts are the hosts whose links a listing page may lead to: the
// configured listing's, the page's own after redirects, and LinkHosts.
func (s *Source) linkHosts(pageURL string) []string {
	hosts := append([]string(nil), s.LinkHosts...)
	for _, raw := range []string{s.URL, pageURL} {
		if u, err := url.Parse(raw); err == nil && u.Hostname() != "" {
			hosts = append(hosts, u.Hostname())
		}
	}
	return hosts
}

// onHosts keeps the links on one of hosts.
func onHosts(links, hosts []string) []string {
	out := links[:0:0]
	for _, l := range links {
		if sameSite(l, hosts) {
			out = append(out, l)
		}
	}
	return out
}

// pollFolder ingests the folder's report files that are new or changed
// since they were last seen (by name, size and modification time).
func (w *Watcher) pollFolder(ctx context.Context, src *Source) ([]Ingested, error) {
	ps, err := w.Store.PollState(src.Name)
	if err != nil {
		return nil, err
	}
	first := ps.LastPoll.IsZero()
	type file struct{ path, readFrom, key string }
	var files []file
	root, err := filepath.EvalSymlinks(src.Folder)
	if err != nil {
		err = fmt.Errorf("read folder: %w", err)
		ps.LastError = err.Error()
		_ = w.Store.SetPollState(src.Name, ps)
		return nil, err
	}
	var escapes []error
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		name := filepath.Join(src.Folder, rel) // as the operator names it
		readFrom := path
		if d.Type()&fs.ModeSymlink != 0 {
			// A link is read only if it resolves inside the folder: a link
			// to /etc/passwd (or to a folder outside) dropped into a
			// watched folder must not be indexed and quoted to users.
			target, err := filepath.EvalSymlinks(path)
			if err != nil || !within(root, target) {
				escapes = append(escapes, fmt.Errorf("%s: a symbolic link out of the folder, skipped", name))
				return nil
			}
			info, err := os.Stat(target)
			if err != nil || !info.Mode().IsRegular() {
				return nil // a link to a folder inside is walked there
			}
			d, readFrom = fs.FileInfoToDirEntry(info), target
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".txt", ".html", ".htm", ".shtml", ".pdf", ".docx",
			".doc", ".wps": // reported once as unsupported, with what to do
		default:
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files = append(files, file{name, readFrom, fmt.Sprintf("%s@%d-%d", rel, info.ModTime().UnixNano(), info.Size())})
		return nil
	})
	if err == nil && len(escapes) > 0 {
		for _, e := range escapes {
			w.logger().Warn("folder source", "source", src.Name, "err", e)
		}
	}
	if err != nil {
		err = fmt.Errorf("read folder: %w", err)
		ps.LastError = err.Error()
		_ = w.Store.SetPollState(src.Name, ps)
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	keys := make([]string, len(files))
	for i, f := range files {
		keys[i] = f.key
	}
	seen, err := w.Store.Seen(src.Name, keys...)
	if err != nil {
		return nil, err
	}
	var out []Ingested
	errs := escapes
	for _, f := range files {
		if seen[f.key] || ctx.Err() != nil {
			continue
		}
		data, err := os.ReadFile(f.readFrom)
		var got Ingested
		if err == nil {
			got, err = w.ingest(ctx, src, !first || src.AnnounceExisting, f.path, Document{Name: f.path, Data: data})
		}
		if err != nil {
			// A bad file stays bad until it changes, and a change gives
			// it a new key: mark it seen so it is not retried every round.
			w.fail(src, f.path, err)
			errs = append(errs, err)
		} else {
			out = append(out, got)
		}
		if err := w.Store.MarkSeen(src.Name, map[string]string{f.key: got.reportID()}); err != nil {
			return out, err
		}
	}
	ps.LastPoll, ps.LastError = time.Now().UTC(), ""
	if len(errs) > 0 {
		ps.LastError = errors.Join(errs...).Error()
	}
	if err := w.Store.SetPollState(src.Name, ps); err != nil {
		return out, err
	}
	return out, errors.Join(errs...)
}

// ExtractLinks returns the absolute URLs of the page's <a href> links that
// match pattern (all links if nil), in page order without repeats. Links
// are resolved against the page's <base href>, else pageURL.
func ExtractLinks(page []byte, pageURL string, pattern interface{ MatchString(string) bool }) []string {
	base, _ := url.Parse(pageURL)
	z := html.NewTokenizer(bytes.NewReader(page))
	seen := map[string]bool{}
	var out []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		if (a != atom.A && a != atom.Base) || !hasAttr {
			continue
		}
		var href string
		for {
			k, v, more := z.TagAttr()
			if string(k) == "href" {
				href = strings.TrimSpace(string(v))
			}
			if !more {
				break
			}
		}
		if href == "" {
			continue
		}
		ref, err := url.Parse(href)
		if err != nil {
			continue
		}
		if a == atom.Base {
			if base != nil {
				base = base.ResolveReference(ref)
			}
			continue
		}
		abs := ref
		if base != nil {
			abs = base.ResolveReference(ref)
		}
		if abs.Scheme != "http" && abs.Scheme != "https" {
			continue
		}
		abs.Fragment = ""
		s := abs.String()
		if seen[s] || (pattern != nil && !pattern.MatchString(s)) {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
}
