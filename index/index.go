// Package index is govbot's search index over parsed reports: a bleve index
// with one document per paragraph, analysed by a gse-backed Chinese analyzer
// and scored with BM25, plus a catalog of the parsed reports (metadata,
// paragraphs, figures) kept beside it so that answering a question never needs
// the original report files.
//
// A data directory DIR holds generations of the index, each complete, and
// a pointer to the one in use:
//
//	DIR/current                     the name of the current generation, e.g. "gen-000003"
//	DIR/gen-000003/bleve/           the bleve index (scorch, zap v16 segments)
//	DIR/gen-000003/catalog/index.json      the catalog list: one entry per report
//	DIR/gen-000003/catalog/<reportID>.json one parsed report, paragraphs and figures included
//
// An update builds a new generation beside the current one (sharing its
// unchanged files through hard links), then renames a new pointer file over
// DIR/current: a crash at any moment leaves either the old generation or the
// new one current, never a part of one. Readers open the current generation
// read-only, so any number of processes can read beside a running update,
// and a long-running process follows DIR/current (see Index). Data
// directories written before generations (DIR/bleve and DIR/catalog) are
// read as they are and become the first generation's base on the next
// update.
//
// The catalog files are zstd-compressed JSON (plain or gzip-compressed JSON,
// as earlier versions wrote, are read too).
//
// Every process that opens an index must have the gse tokenizer registered
// with bleve; importing this package does that (see init in analyzer.go).
package index

import (
	"errors"
	"time"

	"github.com/govbot/govbot/corpus"
)

// ErrNoIndex is returned by Open when the data directory holds no index.
var ErrNoIndex = errors.New("index: no index in data directory")

// Index is an open search index with its catalog. It is safe for concurrent
// use by multiple goroutines. An Index opened from a data directory follows
// the directory's current generation: at most every RefreshInterval, a call
// notices a newer generation (built by Add, Remove or another process) and
// switches to it in the background; calls in flight finish on the old one.
type Index struct {
	// implementation fields live in gen.go
	live
}

// UpdateStats reports what Update or Add did.
type UpdateStats struct {
	// Added counts reports new to the index, Updated reports whose content
	// hash changed and were re-indexed, Unchanged reports skipped.
	Added, Updated, Unchanged int
	// Paragraphs is the number of paragraphs (re)indexed.
	Paragraphs int
	// Bytes is the paragraph text volume (re)indexed, in bytes.
	Bytes int64
	// Elapsed is the wall time of the operation.
	Elapsed time.Duration
}

// ReportInfo is one catalog entry: a report's metadata with its paragraph
// and figure counts.
type ReportInfo struct {
	// Meta is the report's metadata (Meta.Source says where it came from
	// when that is not a URL).
	corpus.Meta
	// Paragraphs and Figures count the report's paragraphs and figures.
	Paragraphs, Figures int
	// JSONHash is the hex SHA-256 of the report's JSON encoding (its
	// catalog file), used to decide whether a report changed: any change,
	// metadata included, changes it. It is not source.TextHash, which
	// hashes the paragraph texts alone.
	JSONHash string
}

// Query is a search over paragraphs. Text is analysed with the gse analyzer
// and run as match queries, never through a query-string parser, so user input
// cannot inject query syntax.
type Query struct {
	// Text is the user's words.
	Text string
	// Terms are optional pre-analysed terms (as returned by Terms); each becomes
	// a term query on the text and section fields, OR-ed with Text.
	Terms []string
	// TermBoosts optionally weights individual Terms (default 1).
	TermBoosts map[string]float64
	// Reports restricts the search to these report IDs; empty means all.
	Reports []string
	// SectionBoost is the weight of the section field relative to text;
	// 0 means the default 0.5, negative disables the section field.
	SectionBoost float64
	// Size is the maximum number of hits; 0 means 20.
	Size int
	// WantMatched asks for Hit.Matched. It is off by default because it
	// reads every query term's postings a second time, about a fifth of a
	// search's time.
	WantMatched bool
}

// Hit is one matching paragraph.
type Hit struct {
	// Report is the report ID, Paragraph the paragraph ID, Seq its ordinal.
	Report    string
	Paragraph string
	Seq       int
	// Score is the BM25 relevance score.
	Score float64
	// Matched lists the analysed query terms found in the paragraph's text or
	// section, in query order; only filled when Query.WantMatched is set.
	Matched []string
}

// Options configure how a new index is built.
type Options struct {
	// Analyzer names the bleve analyzer of the text fields; "" means
	// AnalyzerName, govbot's gse analyzer. Any other registered analyzer
	// (bleve's "cjk", say) builds the same index with that analysis, and
	// Search analyses queries with it: govbot bench compares the two.
	// An existing index keeps the analyzer it was created with.
	Analyzer string
	// ReportCacheBytes bounds the parsed reports kept between calls (least
	// recently used dropped first); 0 means DefaultReportCacheBytes. An
	// in-memory index keeps all its reports.
	ReportCacheBytes int64
	// PostingsCacheBytes bounds the decoded postings of frequent terms kept
	// between searches; 0 means DefaultPostingsCacheBytes.
	PostingsCacheBytes int
}

func (o Options) analyzer() string {
	if o.Analyzer == "" {
		return AnalyzerName
	}
	return o.Analyzer
}

// Subset is a part of a search's scope whose best hits SearchSubsets
// returns as well.
type Subset struct {
	// Reports are report IDs within the search's scope (Query.Reports, or
	// any when that is empty).
	Reports []string
	// Size is the maximum number of hits; 0 means 20.
	Size int
}

// Reports returns the catalog: report metadata with counts, newest first
// (by year, then publication date, then ID).
func (ix *Index) Reports() []ReportInfo {
	s := ix.acquire()
	defer s.release()
	return s.reports()
}

// Report returns the full report with paragraphs and figures, loaded lazily
// from the catalog and cached (see Options.ReportCacheBytes). The result is
// shared: callers must not modify it.
func (ix *Index) Report(id string) (*corpus.Report, error) {
	s := ix.acquire()
	defer s.release()
	l, err := s.loaded(id)
	if err != nil {
		return nil, err
	}
	return l.r, nil
}

// Paragraph returns the report and paragraph with paragraph ID id
// ("<reportID>#p<seq>"). Only the paragraph's part of the report is read:
// the report returned has its metadata and headings, and its Paragraphs
// may be nil (Report gives them all). The results are shared: callers must
// not modify them.
func (ix *Index) Paragraph(id string) (*corpus.Report, *corpus.Paragraph, error) {
	s := ix.acquire()
	defer s.release()
	return s.paragraph(id)
}
