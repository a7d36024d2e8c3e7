package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/doctext"
	"github.com/govbot/govbot/store"
)

// Indexer is the part of *index.Index the Ingester needs.
type Indexer interface {
	Add(ctx context.Context, reports ...*corpus.Report) (index.UpdateStats, error)
	Reports() []index.ReportInfo
	Report(id string) (*corpus.Report, error)
}

// Ingester parses documents, indexes new and revised reports and records
// them in the store, queueing announcements for new ones.
type Ingester struct {
	Index Indexer
	// Store records the reports; any store.Backend is one.
	Store store.ReportCatalog
	// Announce queues announcements for new reports; false only records them.
	Announce bool
}

// Document is one report to ingest: a file's or a page's bytes.
type Document struct {
	// Name is the file name or URL; it gives the default report ID.
	Name string
	// Data is the raw content; ContentType its type when fetched ("" for a
	// file: HTML is recognised by extension or content).
	Data        []byte
	ContentType string
	// URL is the source link ("" for a local file).
	URL string
	// Meta overrides what the document says (command-line flags).
	Meta corpus.Meta
}

// Status is what Ingest did.
type Status string

// Ingest outcomes.
const (
	Added     Status = "added"
	Updated   Status = "updated"
	Duplicate Status = "duplicate"
	// Restored is a report the state file knew but the index had lost (the
	// index was rebuilt or replaced): indexed again, not announced again.
	Restored Status = "restored"
)

// Result describes one ingested document.
type Result struct {
	Status Status
	// Report is the parsed report (with the ID it is indexed under).
	Report *corpus.Report
	// TextHash is the hash of the report's paragraph texts (TextHash).
	TextHash string
	// Match says how a duplicate or revision was recognised.
	Match store.Match
	// Revision is the stored revision number (1 for a new report).
	Revision int
	// Queued counts announcements queued (new reports only).
	Queued int
	// MetaChanges lists the metadata an update changed when the text is the
	// same ("issuer: 易县人民政府 → 保定市易县人民政府"); empty otherwise.
	MetaChanges []string
}

// String is the one-line summary govbot add and watch print.
func (r Result) String() string {
	id := r.Report.ID
	switch r.Status {
	case Duplicate:
		return fmt.Sprintf("already indexed as %s (%s); nothing changed", id, r.Match)
	case Updated:
		if len(r.MetaChanges) > 0 {
			return fmt.Sprintf("updated %s (same text, revision %d): %s", id, r.Revision, strings.Join(r.MetaChanges, "; "))
		}
		return fmt.Sprintf("updated %s (%s, revision %d): replaced the earlier text in the index", id, r.Match, r.Revision)
	case Restored:
		return fmt.Sprintf("restored %s to the index (it was recorded before but missing from the index); not announced again", id)
	}
	s := fmt.Sprintf("added %s: %s (%s, %d paragraphs)", id, r.Report.Title, r.Report.Issuer, len(r.Report.Paragraphs))
	if r.Queued > 0 {
		s += fmt.Sprintf("; announcement queued for %d chats", r.Queued)
	}
	return s
}

// Parse turns a document into a report: HTML through corpus.ParseHTML; PDF
// and Word (.docx) through doctext, whose text corpus.Parse then reads;
// anything else through corpus.Parse. The format is told by content (magic
// bytes), Content-Type and extension (doctext.Detect); legacy .doc/.wps,
// encrypted and damaged files get an error naming the problem. The report
// ID is doc.Meta.ID, else derived from the URL or file name.
func Parse(doc Document) (*corpus.Report, error) {
	meta := doc.Meta
	if meta.URL == "" {
		meta.URL = doc.URL
	}
	if meta.ID == "" {
		meta.ID = reportID(doc)
	}
	format := doctext.Detect(doc.Name, doc.ContentType, doc.Data)
	if format == doctext.HTML {
		return corpus.ParseHTML(doc.Name, doc.Data, doc.ContentType, meta)
	}
	text, extracted, err := doctext.Extract(format, doc.Data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", doc.Name, err)
	}
	if extracted {
		return corpus.Parse(doc.Name, []byte(text), meta)
	}
	return corpus.Parse(doc.Name, doc.Data, meta)
}

var idUnsafe = regexp.MustCompile(`[^\p{L}\p{N}._-]+`)

// reportID derives an ID: the file name without extension, or for a URL
// the site's distinctive host label and the page's name
// (https://www.hubei.gov.cn/zfwj/t20250123_5512345.shtml →
// hubei-t20250123_5512345).
func reportID(doc Document) string {
	name := doc.Name
	if doc.URL != "" {
		if u, err := url.Parse(doc.URL); err == nil {
			host := strings.TrimPrefix(u.Hostname(), "www.")
			host = strings.TrimSuffix(strings.TrimSuffix(host, ".cn"), ".gov")
			base := strings.TrimSuffix(path.Base(u.Path), path.Ext(u.Path))
			if base == "" || base == "/" || base == "." || base == "index" {
				base = strings.Trim(strings.ReplaceAll(u.Path, "/", "-"), "-")
			}
			name = host + "-" + base
		}
	} else {
		name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	id := strings.Trim(idUnsafe.ReplaceAllString(name, "-"), "-")
	if id == "" {
		id = "report"
	}
	return id
}

// TextHash is the hex SHA-256 of a report's paragraph texts, one a line:
// the same text hashes the same whatever its ID, metadata or encoding.
func TextHash(r *corpus.Report) string {
	h := sha256.New()
	for _, p := range r.Paragraphs {
		h.Write([]byte(p.Text))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Ingest parses doc and, unless the same text is already indexed, adds it
// to the index and records it in the store. A report with the same 索引号 or
// source URL (or ID) as a recorded one but different text is a revision: it
// replaces the old one under the old ID and is not announced again. Only a
// new report is announced. On error nothing is changed.
func (in *Ingester) Ingest(ctx context.Context, doc Document) (Result, error) {
	r, err := Parse(doc)
	if err != nil {
		return Result{}, err
	}
	res := Result{Report: r, TextHash: TextHash(r)}
	rec, match, err := in.Store.FindReport(res.TextHash, r.IndexNumber, r.URL, "")
	if err != nil {
		return res, err
	}
	if match == store.MatchNone {
		rec, match, err = in.findInCatalog(res.TextHash, r, doc.Meta.ID != "")
		if err != nil {
			return res, err
		}
	}
	if match == store.MatchNone && doc.Meta.ID != "" {
		// An explicit --id naming a report already there means "replace it".
		if rec, match, err = in.Store.FindReport("", "", "", r.ID); err != nil {
			return res, err
		}
	}
	res.Match = match
	indexed := true
	if match == store.MatchHash {
		old, err := in.Index.Report(rec.ID)
		if err != nil {
			indexed = false
		} else if res.MetaChanges = reviseMeta(r, old, doc.Meta); len(res.MetaChanges) > 0 {
			// The same text with corrected metadata: a revision.
			match = store.MatchID
		}
	}
	switch {
	case match == store.MatchHash && !indexed:
		r.ID = rec.ID
		renumber(r)
		res.Status = Restored
	case match == store.MatchHash:
		r.ID = rec.ID
		res.Status, res.Revision = Duplicate, rec.Revision
		if _, err := in.Store.Report(rec.ID); errors.Is(err, store.ErrNotFound) {
			// Indexed by "govbot index", never recorded: record it now so
			// that the next time is recognised by the store alone.
			if _, err := in.Store.PutReport(in.record(r, res.TextHash)); err != nil {
				return res, err
			}
		}
		return res, nil
	case match != store.MatchNone:
		r.ID = rec.ID
		renumber(r)
		res.Status = Updated
	default:
		res.Status = Added
		if err := in.checkIDFree(r); err != nil {
			return res, err
		}
	}
	if _, err := in.Index.Add(ctx, r); err != nil {
		return res, fmt.Errorf("index %s: %w", r.ID, err)
	}
	// The index has the report now. If the store write fails the report is
	// answerable but not recorded; the next ingest of the same text finds it
	// in the catalog and records it (above), so nothing is lost for good.
	if res.Status != Added || !in.Announce {
		rec := in.record(r, res.TextHash)
		rec.MetaChanged = len(res.MetaChanges) > 0
		stored, err := in.Store.PutReport(rec)
		if err != nil {
			return res, err
		}
		res.Revision = stored.Revision
		return res, nil
	}
	stored, queued, err := in.Store.AnnounceReport(in.record(r, res.TextHash), corpus.MatchFields(r)...)
	if err != nil {
		return res, err
	}
	res.Revision, res.Queued = stored.Revision, queued
	return res, nil
}

// reviseMeta sets the metadata of r, a new parse of the text indexed as
// old, to old's, with the fields the text now states where old had none,
// and the fields given explicitly (flags, a manifest) over both. It returns
// the changes from old, one "field: old → new" each.
func reviseMeta(r, old *corpus.Report, explicit corpus.Meta) []string {
	was := old.Meta
	explicit.ID = ""
	m := r.Meta.Override(was).Override(explicit.Dated())
	m.ID = r.ID
	var changes []string
	diff := func(field, a, b string) {
		if a != b {
			changes = append(changes, fmt.Sprintf("%s: %s → %s", field, orNone(a), orNone(b)))
		}
	}
	diff("title", was.Title, m.Title)
	diff("issuer", was.Issuer, m.Issuer)
	diff("speaker", was.Speaker, m.Speaker)
	diff("date", dateText(was.Published), dateText(m.Published))
	if was.Year != m.Year {
		diff("year", fmt.Sprint(was.Year), fmt.Sprint(m.Year))
	}
	diff("url", was.URL, m.URL)
	diff("source", was.Source, m.Source)
	diff("文号", was.DocNumber, m.DocNumber)
	diff("索引号", was.IndexNumber, m.IndexNumber)
	diff("topic", was.Topic, m.Topic)
	r.Meta = m
	return changes
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func (in *Ingester) record(r *corpus.Report, textHash string) store.ReportRecord {
	return store.ReportRecord{ID: r.ID, TextHash: textHash, IndexNumber: r.IndexNumber, URL: r.URL, Title: r.Title, Issuer: r.Issuer}
}

// findInCatalog recognises reports indexed without going through the store
// ("govbot index DIR"): by 索引号 or URL from the catalog, or by text for the
// few catalog reports with the same title.
func (in *Ingester) findInCatalog(textHash string, r *corpus.Report, explicitID bool) (store.ReportRecord, store.Match, error) {
	for _, c := range in.Index.Reports() {
		var m store.Match
		switch {
		case r.IndexNumber != "" && c.IndexNumber == r.IndexNumber:
			m = store.MatchIndexNumber
		case r.URL != "" && c.URL == r.URL:
			m = store.MatchURL
		case explicitID && c.ID == r.ID:
			m = store.MatchID
		case c.Title != "" && c.Title == r.Title || c.ID == r.ID:
			full, err := in.Index.Report(c.ID)
			if err != nil {
				return store.ReportRecord{}, store.MatchNone, fmt.Errorf("compare with indexed %s: %w", c.ID, err)
			}
			if TextHash(full) != textHash {
				continue
			}
			m = store.MatchHash
		default:
			continue
		}
		if m != store.MatchHash {
			full, err := in.Index.Report(c.ID)
			if err == nil && TextHash(full) == textHash {
				m = store.MatchHash
			}
		}
		rec, err := in.Store.Report(c.ID)
		if errors.Is(err, store.ErrNotFound) {
			rec, err = store.ReportRecord{ID: c.ID, IndexNumber: c.IndexNumber, URL: c.URL}, nil
		}
		return rec, m, err
	}
	return store.ReportRecord{}, store.MatchNone, nil
}

// checkIDFree refuses to overwrite a different indexed report that happens
// to share the derived ID (two files named the same in different folders).
func (in *Ingester) checkIDFree(r *corpus.Report) error {
	for _, info := range in.Index.Reports() {
		if info.ID == r.ID {
			return fmt.Errorf("report ID %q is taken by another report (%s): pass --id to choose one, or the same --id to replace it", r.ID, info.Title)
		}
	}
	return nil
}

// renumber gives paragraphs IDs under the report's (possibly changed) ID.
func renumber(r *corpus.Report) {
	for i := range r.Paragraphs {
		r.Paragraphs[i].ID = fmt.Sprintf("%s#p%d", r.ID, r.Paragraphs[i].Seq)
	}
}
