package index

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/klauspost/compress/zstd"

	"github.com/govbot/govbot/corpus"
)

// Layout of a data directory.
const (
	bleveDir   = "bleve"
	catalogDir = "catalog"
	// catalogList is the list of the catalog's entries, gob-encoded:
	// decoding it is most of what opening a large index costs (10,000
	// reports: 11 ms as gob, 75 ms as JSON).
	catalogList = "index.gob"
	// catalogListJSON is the list as catalog version 1 wrote it, read
	// when a generation has no catalogList.
	catalogListJSON = "index.json"
	// catalogVersion is bumped when the catalog format changes incompatibly.
	// 2: the list is gob, without the reports' headings and header lines.
	catalogVersion = 2
	// analysisVersion is bumped when the analysis of report text changes
	// (the terms indexed for a text): a report indexed with another
	// version is indexed again by the next update, whatever its hash.
	// 1 (written as none): before traditional characters were folded to
	// simplified ones; 2: folded.
	analysisVersion = 2
)

// Bleve field names of a paragraph document. Indexes built before the
// mapping was trimmed also have title, issuer, issuer_text, year and seq
// fields and stored report and seq values; nothing reads them any more, so
// such indexes keep working.
const (
	fieldText    = "text"
	fieldSection = "section"
	fieldReport  = "report"
)

// Search weights.
const (
	defaultSize         = 20
	defaultSectionBoost = 0.5
	// A dictionary word found inside a longer question word adds evidence
	// but should not count as much as the word the question actually used.
	subWordWeight = 0.5
	// Numbers in a question ("45件") help pick the paragraph stating them,
	// but rare numbers have a high IDF and would otherwise outweigh the
	// words saying what was counted.
	numberWeight = 0.3
)

// batchParagraphs bounds how many paragraphs go into one bleve batch. A batch
// holds whole reports only, and the catalog is committed after each batch,
// so a failure between batches leaves every report either fully old or fully
// new. Batches are kept small because bleve holds a batch's whole analysis
// in memory while it builds the batch's segment (one 11,000-paragraph batch
// peaked at 900 MB), and so that the next batch is analysed on the other
// cores while bleve builds and syncs one (see add). It is a variable so tests
// can force several batches.
var batchParagraphs = 1500

// testHookBeforeBatch, when set, runs before each bleve batch is committed.
var testHookBeforeBatch func()

type state struct {
	dir string // the generation's directory; "" for an in-memory index
	gen string // the generation's name in the data directory; "" for none
	bi  bleve.Index
	// analyzer is the text fields' analyzer: AnalyzerName, or another one
	// an index was built with for comparison (see Options).
	analyzer string

	// refs counts the holders of this state: the Index while it is
	// current, and every call in flight on it (see Index.acquire). The
	// last one out closes bi.
	refs      atomic.Int64
	closeOnce sync.Once

	wmu sync.Mutex // serialises add and remove

	mu      sync.RWMutex // guards entries
	entries map[string]*catalogEntry
	cache   reportCache // parsed reports; in memory, all of them

	// building is set on a generation being built (see Builder): add
	// leaves merging its segments to Commit, counting its batches.
	building bool
	batches  int

	docSets  docSetCache   // restriction bitsets of the current snapshot
	postings postingsCache // decoded postings of its frequent terms
}

// catalogEntry is one report in the catalog list, DIR/catalog/index.gob.
type catalogEntry struct {
	// Meta is the report's metadata: the list, which every reader decodes
	// whole when it opens the index, holds only what scoping and listing
	// read; paragraphs, headings and header lines are in the report's own
	// catalog file.
	Meta corpus.Meta `json:"meta"`
	// Paragraphs and Figures count the report's paragraphs and figures;
	// Bytes is its paragraph text volume.
	Paragraphs int   `json:"paragraphs"`
	Figures    int   `json:"figures"`
	Bytes      int64 `json:"bytes"`
	// Hash is the hex SHA-256 of File's content, the report's JSON encoding.
	Hash string `json:"hash"`
	// File is the catalog file name, relative to DIR/catalog.
	File string `json:"file"`
	// Indexed is when the report was (re)indexed.
	Indexed time.Time `json:"indexed"`
	// Analysis is the analysisVersion the report was indexed with (0:
	// before versions were recorded, i.e. 1).
	Analysis int `json:"analysis,omitempty"`
}

type catalogFile struct {
	Version int             `json:"version"`
	Reports []*catalogEntry `json:"reports"`
}

// loadedReport is a full report with a paragraph lookup table.
type loadedReport struct {
	r    *corpus.Report
	byID map[string]int
}

func newLoaded(r *corpus.Report) *loadedReport {
	l := &loadedReport{r: r, byID: make(map[string]int, len(r.Paragraphs))}
	for i := range r.Paragraphs {
		l.byID[docID(r, &r.Paragraphs[i])] = i
		if id := r.Paragraphs[i].ID; id != "" {
			l.byID[id] = i
		}
	}
	return l
}

// newMapping returns the index mapping: one static document type for
// paragraphs, BM25 scoring, text fields analysed by analyzer.
//
// It indexes only what Search and Remove query: the paragraph text and its
// section path (term frequencies and norms for BM25, no term vectors: no
// query needs positions, and they tripled the index) and the report ID
// (keyword, for restricting and for finding a report's documents). Nothing is
// stored: the report ID and ordinal are read from the document ID, the rest
// from the catalog. Title, issuer and year are catalog metadata, never
// searched through bleve.
func newMapping(analyzer string) *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	im.ScoringModel = bindex.BM25Scoring
	im.DefaultAnalyzer = analyzer
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	analysed := func(name string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Name = name
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = false
		f.IncludeTermVectors = false
		return f
	}
	kw := bleve.NewKeywordFieldMapping()
	kw.Name = fieldReport
	kw.Analyzer = keyword.Name
	kw.Store = false
	kw.IncludeInAll = false
	kw.IncludeTermVectors = false
	kw.DocValues = false

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldText, analysed(fieldText))
	dm.AddFieldMappingsAt(fieldSection, analysed(fieldSection))
	dm.AddFieldMappingsAt(fieldReport, kw)
	// No "_all" composite field: nothing searches it, and bleve would
	// otherwise fill it with every document's _id, term vectors included.
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = dm
	return im
}

// docID is the bleve document ID of a paragraph: its own ID when that is
// scoped to the report (the parser's "<report>#p<seq>"), else one built so.
func docID(r *corpus.Report, p *corpus.Paragraph) string {
	if p.ID != "" && strings.HasPrefix(p.ID, r.ID+"#") {
		return p.ID
	}
	return r.ID + "#p" + strconv.Itoa(p.Seq)
}

// paragraphDoc is the bleve document of one paragraph.
func paragraphDoc(r *corpus.Report, p *corpus.Paragraph) map[string]interface{} {
	d := map[string]interface{}{
		fieldText:   p.Text,
		fieldReport: r.ID,
	}
	if len(p.Path) > 0 {
		d[fieldSection] = strings.Join(p.SectionPath(), "\n")
	}
	return d
}

// seqFromID returns the ordinal in a paragraph document ID "<report>#p<seq>".
func seqFromID(id string) (int, bool) {
	i := strings.LastIndex(id, "#p")
	if i < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(id[i+2:])
	return n, err == nil && n > 0
}

// ordinalID splits a paragraph ID of exactly the form "<report>#p<seq>"
// (the ordinal as strconv writes it) into the report's ID and the ordinal.
func ordinalID(id string) (rid string, seq int, ok bool) {
	i := strings.LastIndexByte(id, '#')
	if i <= 0 {
		return "", 0, false
	}
	seq, ok = seqFromID(id)
	if !ok || id[i:] != "#p"+strconv.Itoa(seq) {
		return "", 0, false
	}
	return id[:i], seq, true
}

// openGen opens the generation in directory gdir read-only: other
// processes may open it too, and only a Builder writes, into a generation
// of its own.
func openGen(gdir, gen string, opts Options) (*state, error) {
	bdir := filepath.Join(gdir, bleveDir)
	if _, err := os.Stat(filepath.Join(bdir, "index_meta.json")); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("index: open %s: %w", gdir, ErrNoIndex)
		}
		return nil, fmt.Errorf("index: open %s: %w", gdir, err)
	}
	entries, err := readCatalog(gdir)
	if err != nil {
		return nil, err
	}
	bi, err := bleve.OpenUsing(bdir, map[string]interface{}{"read_only": true, "bolt_timeout": "10s"})
	if err != nil {
		return nil, fmt.Errorf("index: open bleve index %s: %w", bdir, err)
	}
	if n := staleEntries(entries); n > 0 {
		// Such an index still answers, but misses what the newer
		// analysis finds (a simplified question on traditional text).
		slog.Warn("index: reports indexed with an older text analysis; the next `govbot index` re-indexes them", "dir", gdir, "reports", n, "analysis", analysisVersion)
	}
	return newState(gdir, gen, bi, textAnalyzer(bi), entries, opts), nil
}

// openGenWritable opens the generation in gdir for writing (a Builder's).
func openGenWritable(gdir, gen string, opts Options) (*state, error) {
	entries, err := readCatalog(gdir)
	if err != nil {
		return nil, err
	}
	bdir := filepath.Join(gdir, bleveDir)
	bi, err := bleve.OpenUsing(bdir, map[string]interface{}{"bolt_timeout": "10s"})
	if err != nil {
		return nil, fmt.Errorf("index: open bleve index %s: %w", bdir, err)
	}
	return newState(gdir, gen, bi, textAnalyzer(bi), entries, opts), nil
}

func newState(dir, gen string, bi bleve.Index, analyzer string, entries map[string]*catalogEntry, opts Options) *state {
	s := &state{dir: dir, gen: gen, bi: bi, analyzer: analyzer, entries: entries}
	s.cache.limit = opts.ReportCacheBytes
	if dir == "" {
		s.cache.limit = -1 // the reports live nowhere else
	}
	s.postings.limit = opts.PostingsCacheBytes
	s.refs.Store(1)
	return s
}

// staleEntries counts the entries indexed with another analysis version.
func staleEntries(entries map[string]*catalogEntry) int {
	n := 0
	for _, e := range entries {
		if e.Analysis != analysisVersion {
			n++
		}
	}
	return n
}

// textAnalyzer returns the analyzer of bi's text field.
func textAnalyzer(bi bleve.Index) string {
	if a := bi.Mapping().AnalyzerNameForPath(fieldText); a != "" {
		return a
	}
	return AnalyzerName
}

// create makes a new empty index in the generation directory dir.
func create(dir, gen string, opts Options) (*state, error) {
	if err := os.MkdirAll(filepath.Join(dir, catalogDir), 0o755); err != nil {
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	bdir := filepath.Join(dir, bleveDir)
	// A bleve directory without index_meta.json is debris of an interrupted
	// create; bleve refuses to create over it.
	if err := os.RemoveAll(bdir); err != nil {
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	cfg := map[string]interface{}{
		"bolt_timeout": "10s",
		// zap v16 segments are 1.3% smaller than bleve 2.6's default v17,
		// whose additions (vector and synonym sections) govbot does not use.
		"forceSegmentType":    "zap",
		"forceSegmentVersion": 16,
	}
	bi, err := bleve.NewUsing(bdir, newMapping(opts.analyzer()), bleve.Config.DefaultIndexType, scorch.Name, cfg)
	if err != nil {
		return nil, fmt.Errorf("index: create bleve index %s: %w", bdir, err)
	}
	ix := newState(dir, gen, bi, opts.analyzer(), make(map[string]*catalogEntry), opts)
	if err := ix.writeCatalog(true); err != nil {
		bi.Close()
		return nil, err
	}
	return ix, nil
}

// OpenMemory builds an in-memory index (bleve NewMemOnly) of reports; it is
// used for the embedded default corpus and in tests.
func OpenMemory(reports []*corpus.Report) (*Index, error) { return OpenMemoryWith(reports, Options{}) }

// OpenMemoryWith is OpenMemory with options.
func OpenMemoryWith(reports []*corpus.Report, opts Options) (*Index, error) {
	// Scorch without a path keeps its segments in memory; bleve's NewMemOnly
	// (upsidedown over a key-value tree) takes several times the memory.
	bi, err := bleve.NewUsing("", newMapping(opts.analyzer()), bleve.Config.DefaultIndexType, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("index: create in-memory index: %w", err)
	}
	s := newState("", "", bi, opts.analyzer(), make(map[string]*catalogEntry), opts)
	if _, err := s.add(context.Background(), reports); err != nil {
		bi.Close()
		return nil, err
	}
	return newIndex("", s, opts), nil
}

// Update builds or refreshes the index in data directory dir: new reports are
// added, reports whose content hash changed are re-indexed, unchanged ones are
// skipped. Reports already indexed but absent from reports are kept; only
// Remove removes. It builds a new generation and makes it current when it is
// whole: on failure (including a cancelled ctx or a crash) the previous index
// stays as it was and searchable. Updates of one directory, from any process,
// run one at a time.
func Update(ctx context.Context, dir string, reports []*corpus.Report) (UpdateStats, error) {
	return UpdateWith(ctx, dir, reports, Options{})
}

// UpdateWith is Update with options; they apply when dir holds no index yet.
func UpdateWith(ctx context.Context, dir string, reports []*corpus.Report, opts Options) (UpdateStats, error) {
	b, err := NewBuilder(ctx, dir, opts)
	if err != nil {
		return UpdateStats{}, err
	}
	st, err := b.Add(ctx, reports...)
	if err != nil {
		b.Abort()
		return st, err
	}
	cst, err := b.Commit(ctx)
	st.Elapsed = cst.Elapsed
	return st, err
}

// pending is a report to (re)index.
type pending struct {
	r    *corpus.Report
	data []byte // JSON encoding: the hash input
	zst  []byte // the catalog file (dir mode only; see encodeReportFile)
	// dels are the IDs of the documents bleve holds for the report, which
	// its batch deletes.
	dels []string
	e    *catalogEntry
	tmp  string // staged catalog file, dir mode only
	old  bool
}

func (ix *state) add(ctx context.Context, reports []*corpus.Report) (UpdateStats, error) {
	start := time.Now()
	var st UpdateStats
	ix.wmu.Lock()
	defer ix.wmu.Unlock()

	// The last of several reports with one ID wins.
	byID := make(map[string]int, len(reports))
	for i, r := range reports {
		if r == nil || r.ID == "" {
			return st, fmt.Errorf("index: add: report %d has no ID", i)
		}
		byID[r.ID] = i
	}
	// Encoding and hashing the reports is most of a refresh that changes
	// nothing, and a tenth of a full build: spread it over the cores.
	var cands []*corpus.Report
	for i, r := range reports {
		if byID[r.ID] == i {
			cands = append(cands, r)
		}
	}
	datas := make([][]byte, len(cands))
	hashes := make([]string, len(cands))
	errs := make([]error, len(cands))
	parallel(len(cands), func(i int) {
		data, err := json.Marshal(cands[i])
		if err != nil {
			errs[i] = fmt.Errorf("index: encode report %s: %w", cands[i].ID, err)
			return
		}
		sum := sha256.Sum256(data)
		datas[i], hashes[i] = data, hex.EncodeToString(sum[:])
	})
	if err := errors.Join(errs...); err != nil {
		return st, err
	}
	var todo []*pending
	for i, r := range cands {
		ix.mu.RLock()
		old := ix.entries[r.ID]
		ix.mu.RUnlock()
		if old != nil && old.Hash == hashes[i] && old.Analysis == analysisVersion {
			st.Unchanged++
			continue
		}
		e := &catalogEntry{Meta: r.Meta, Paragraphs: len(r.Paragraphs), Hash: hashes[i], File: catalogFileName(r.ID), Analysis: analysisVersion}
		for j := range r.Paragraphs {
			e.Figures += len(r.Paragraphs[j].Figures)
			e.Bytes += int64(len(r.Paragraphs[j].Text))
		}
		todo = append(todo, &pending{r: r, data: datas[i], e: e, old: old != nil})
	}

	// The first batch is small: nothing overlaps its analysis.
	var groups [][]*pending
	for limit := max(1, batchParagraphs/4); len(todo) > 0; limit = batchParagraphs {
		n, paras := 0, 0
		for n < len(todo) && (n == 0 || paras+len(todo[n].r.Paragraphs) <= limit) {
			paras += len(todo[n].r.Paragraphs)
			n++
		}
		groups = append(groups, todo[:n])
		todo = todo[n:]
	}
	// bleve analyses a batch on its analysis queue, in parallel, but then
	// builds the batch's segment and syncs it on one core. Meanwhile the
	// next batch is made ready on the others: its catalog files compressed
	// and staged (written and synced, which is mostly waiting for the disk,
	// so it overlaps the analysis), and its paragraphs analysed, so that
	// bleve finds their token streams ready (see prefetch).
	analyseAhead := ix.analyzer == AnalyzerName
	type readied struct {
		texts []string
		err   error
	}
	ready := func(g []*pending, analyse bool) (r readied) {
		// The documents to delete are found now, while bleve builds the
		// previous batch: it holds other reports only.
		if r.err = ix.findDocs(ctx, g); r.err != nil {
			return r
		}
		if ix.dir != "" {
			if r.err = compressAll(g); r.err != nil {
				return r
			}
			staged := make(chan error, 1)
			go func() { staged <- stageAll(filepath.Join(ix.dir, catalogDir), g) }()
			defer func() {
				if err := <-staged; r.err == nil {
					r.err = err
				}
			}()
		}
		if analyse {
			for _, p := range g {
				for j := range p.r.Paragraphs {
					r.texts = append(r.texts, p.r.Paragraphs[j].Text)
				}
			}
			prefetch(r.texts)
		}
		return r
	}
	if len(groups) == 0 {
		st.Elapsed = time.Since(start)
		return st, nil
	}
	cur := ready(groups[0], false)
	for i, group := range groups {
		var ahead chan readied
		if i+1 < len(groups) {
			ahead = make(chan readied, 1)
			go func(g []*pending) { ahead <- ready(g, analyseAhead) }(groups[i+1])
		}
		err := cur.err
		if err == nil {
			err = ix.addBatch(ctx, group, i == len(groups)-1)
		}
		if err != nil {
			unprefetch(cur.texts)
			unstage(group)
			if ahead != nil {
				unprefetch((<-ahead).texts)
				unstage(groups[i+1])
			}
			st.Elapsed = time.Since(start)
			return st, err
		}
		for _, p := range group {
			if p.old {
				st.Updated++
			} else {
				st.Added++
			}
			st.Paragraphs += p.e.Paragraphs
			st.Bytes += p.e.Bytes
		}
		// What the batch did not take (a paragraph repeated) is dropped.
		unprefetch(cur.texts)
		if ahead != nil {
			cur = <-ahead
		}
	}
	if ix.building {
		ix.batches += len(groups)
	} else if len(groups) > 1 && ix.dir != "" {
		ix.mergeSegments(ctx)
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// compressAll fills the reports' compressed catalog files, on every core.
func compressAll(todo []*pending) error {
	errs := make([]error, len(todo))
	parallel(len(todo), func(i int) {
		p := todo[i]
		var err error
		if p.zst, err = encodeReportFile(p.r); err != nil {
			errs[i] = fmt.Errorf("index: compress report %s: %w", p.r.ID, err)
		}
	})
	return errors.Join(errs...)
}

// stageAll writes the compressed catalog files of todo to temporary files
// in dir, synced, recording them in the pendings' tmp; unstage removes them
// if the batch fails. The files are written a few at a time: syncing is
// waiting for the disk, not work for a core.
func stageAll(dir string, todo []*pending) error {
	errs := make([]error, len(todo))
	parallelN(4, len(todo), func(i int) {
		p := todo[i]
		p.tmp, errs[i] = writeTemp(dir, p.e.File, p.zst)
	})
	return errors.Join(errs...)
}

// unstage removes the staged catalog files of group that are still staged.
func unstage(group []*pending) {
	for _, p := range group {
		if p.tmp != "" {
			os.Remove(p.tmp)
			p.tmp = ""
		}
	}
}

// parallel calls f(0), ..., f(n-1) on GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) { parallelN(runtime.GOMAXPROCS(0), n, f) }

// parallelN calls f(0), ..., f(n-1) on up to workers goroutines.
func parallelN(workers, n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}

// addBatch indexes whole reports in one bleve batch, then commits their
// catalog entries. The catalog files are staged before the batch (by add,
// see stageAll; the caller removes them if the batch fails) and renamed
// into place after it, and the catalog list is rewritten last, so a failure
// at any point leaves the catalog describing what bleve had before or,
// after a crash between the two commits, an older hash that makes the next
// update re-index the report.
//
// The catalog list is compressed after the last batch only: it is rewritten
// after every batch, and compressing every version cost a build of the
// shared corpus about 70 ms, between the batches.
func (ix *state) addBatch(ctx context.Context, group []*pending, last bool) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("index: update cancelled: %w", err)
	}
	b := ix.bi.NewBatch()
	for _, p := range group {
		for _, id := range p.dels {
			b.Delete(id)
		}
		for j := range p.r.Paragraphs {
			para := &p.r.Paragraphs[j]
			if err := b.Index(docID(p.r, para), paragraphDoc(p.r, para)); err != nil {
				return fmt.Errorf("index: map paragraph %s: %w", docID(p.r, para), err)
			}
		}
	}
	if testHookBeforeBatch != nil {
		testHookBeforeBatch()
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("index: update cancelled: %w", err)
	}
	// bleve analyses the batch's documents in parallel on its analysis
	// queue (4 workers), so segmentation uses every core here.
	if err := ix.bi.Batch(b); err != nil {
		return fmt.Errorf("index: index batch: %w", err)
	}

	now := time.Now().UTC()
	ix.mu.Lock()
	for _, p := range group {
		p.e.Indexed = now
		ix.entries[p.r.ID] = p.e
		// A report added again replaces what the cache holds; an
		// in-memory index keeps its reports only there.
		ix.cache.drop(p.r.ID)
		if ix.dir == "" {
			ix.cache.put(cacheKey{p.r.ID, partWhole}, newLoaded(p.r), 0)
		}
	}
	ix.mu.Unlock()
	if ix.dir == "" {
		return nil
	}
	for _, p := range group {
		if err := os.Rename(p.tmp, filepath.Join(ix.dir, catalogDir, p.e.File)); err != nil {
			return fmt.Errorf("index: commit catalog for %s: %w", p.r.ID, err)
		}
		p.tmp = ""
	}
	return ix.writeCatalog(last)
}

// findDocs fills the pendings' dels: every document of the old version,
// found in bleve itself so that paragraphs the new version lacks go too; a
// report new to the catalog may still have documents left by an interrupted
// Remove.
func (ix *state) findDocs(ctx context.Context, group []*pending) error {
	if n, err := ix.bi.DocCount(); err == nil && n == 0 {
		return nil // an empty index: a new one
	}
	for _, p := range group {
		ids, err := ix.docIDs(ctx, p.r.ID)
		if err != nil {
			return err
		}
		p.dels = ids
	}
	return nil
}

// docIDs returns the IDs of all documents of a report.
func (ix *state) docIDs(ctx context.Context, reportID string) ([]string, error) {
	q := query.NewTermQuery(reportID)
	q.SetField(fieldReport)
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: find documents of %s: %w", reportID, err)
	}
	if res.Total == 0 {
		return nil, nil
	}
	req = bleve.NewSearchRequestOptions(q, int(res.Total), 0, false)
	res, err = ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: find documents of %s: %w", reportID, err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

func (ix *state) remove(ctx context.Context, reportIDs []string) error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	var gone []*catalogEntry
	ix.mu.Lock()
	for _, id := range reportIDs {
		if e := ix.entries[id]; e != nil {
			gone = append(gone, e)
			delete(ix.entries, id)
			ix.cache.drop(id)
		}
	}
	ix.mu.Unlock()
	if len(gone) == 0 {
		return nil
	}
	// The catalog goes first: a report missing from the catalog is never
	// returned by Search even while its documents remain, and re-adding it
	// deletes them; the opposite order could leave a catalog entry whose
	// unchanged hash stops the next update from re-indexing it.
	if ix.dir != "" {
		if err := ix.writeCatalog(true); err != nil {
			ix.restoreEntries(gone)
			return err
		}
		for _, e := range gone {
			os.Remove(filepath.Join(ix.dir, catalogDir, e.File))
		}
	}
	b := ix.bi.NewBatch()
	for _, e := range gone {
		ids, err := ix.docIDs(ctx, e.Meta.ID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			b.Delete(id)
		}
	}
	if err := ix.bi.Batch(b); err != nil {
		return fmt.Errorf("index: remove documents: %w", err)
	}
	return nil
}

func (ix *state) restoreEntries(es []*catalogEntry) {
	ix.mu.Lock()
	for _, e := range es {
		ix.entries[e.Meta.ID] = e
	}
	ix.mu.Unlock()
}

func (ix *state) reports() []ReportInfo {
	ix.mu.RLock()
	out := make([]ReportInfo, 0, len(ix.entries))
	for _, e := range ix.entries {
		out = append(out, ReportInfo{Meta: e.Meta, Paragraphs: e.Paragraphs, Figures: e.Figures, JSONHash: e.Hash})
	}
	ix.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		a, b := &out[i].Meta, &out[j].Meta
		if a.Year != b.Year {
			return a.Year > b.Year
		}
		if !a.Published.Equal(b.Published) {
			return a.Published.After(b.Published)
		}
		return a.ID < b.ID
	})
	return out
}

func (ix *state) loaded(id string) (*loadedReport, error) {
	key := cacheKey{id, partWhole}
	if l := ix.cache.get(key); l != nil {
		return l.(*loadedReport), nil
	}
	ix.mu.RLock()
	e := ix.entries[id]
	ix.mu.RUnlock()
	if e == nil || ix.dir == "" {
		return nil, fmt.Errorf("index: report %q: %w", id, fs.ErrNotExist)
	}
	r, size, err := readReportFile(filepath.Join(ix.dir, catalogDir, e.File))
	if err != nil {
		return nil, fmt.Errorf("index: load report %q: %w", id, err)
	}
	// A concurrent loader's copy is kept if it came first.
	return ix.cache.put(key, newLoaded(r), reportCost(size, len(r.Paragraphs))).(*loadedReport), nil
}

// readReportFile reads a whole report from its catalog file, chunked or
// written before; it returns the report and the size of its JSON.
func readReportFile(path string) (*corpus.Report, int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	if chunked, _ := chunkedFile(raw); chunked {
		return decodeReportFile(path, raw)
	}
	data, err := decompress(path, raw)
	if err != nil {
		return nil, 0, err
	}
	r := new(corpus.Report)
	if err := json.Unmarshal(data, r); err != nil {
		return nil, 0, fmt.Errorf("decode %s: %w", path, err)
	}
	compact(r)
	return r, len(data), nil
}

// compact makes a decoded report share its repeated strings: every
// paragraph's section path repeats its headings' texts, units repeat across
// figures, and a figure's text is a piece of its paragraph. The report cache
// of a long-running process holds every report answers came from, so this
// is a tenth of `govbot serve`'s memory.
func compact(r *corpus.Report) {
	seen := make(map[string]string)
	intern := func(s string) string {
		if c, ok := seen[s]; ok {
			return c
		}
		seen[s] = s
		return s
	}
	for i := range r.Headings {
		h := &r.Headings[i]
		h.Text, h.Marker = intern(h.Text), intern(h.Marker)
	}
	// encoding/json grows slices by doubling: trim them to their length.
	if cap(r.Paragraphs) > len(r.Paragraphs) {
		r.Paragraphs = slices.Clone(r.Paragraphs)
	}
	for i := range r.Paragraphs {
		p := &r.Paragraphs[i]
		if cap(p.Figures) > len(p.Figures) {
			p.Figures = slices.Clone(p.Figures)
		}
		if cap(p.Path) > len(p.Path) {
			p.Path = slices.Clone(p.Path)
		}
		for j := range p.Path {
			h := &p.Path[j]
			h.Text, h.Marker = intern(h.Text), intern(h.Marker)
		}
		for j := range p.Figures {
			f := &p.Figures[j]
			if f.Start >= 0 && f.Start <= f.End && f.End <= len(p.Text) && p.Text[f.Start:f.End] == f.Text {
				f.Text = p.Text[f.Start:f.End]
			}
			f.Unit, f.BaseUnit, f.Approx = intern(f.Unit), intern(f.BaseUnit), intern(f.Approx)
			if k := strings.Index(p.Text, f.Context); f.Context != "" && k >= 0 {
				f.Context = p.Text[k : k+len(f.Context)]
			}
		}
	}
}

func (ix *state) paragraph(id string) (*corpus.Report, *corpus.Paragraph, error) {
	i := strings.LastIndex(id, "#")
	if i <= 0 {
		return nil, nil, fmt.Errorf("index: paragraph ID %q: want <report>#p<seq>", id)
	}
	rid := id[:i]
	if ix.cache.get(cacheKey{rid, partWhole}) == nil {
		// Only the paragraph's chunk is read when the report's file has
		// them.
		if r, p, ok, err := ix.chunkParagraph(rid, id); ok || err != nil {
			return r, p, err
		}
	}
	l, err := ix.loaded(rid)
	if err != nil {
		return nil, nil, err
	}
	j, ok := l.byID[id]
	if !ok {
		return nil, nil, fmt.Errorf("index: paragraph %q: %w", id, fs.ErrNotExist)
	}
	return l.r, &l.r.Paragraphs[j], nil
}

// catalogFileName maps a report ID to a safe file name in DIR/catalog.
func catalogFileName(id string) string {
	safe := id != "" && !strings.HasPrefix(id, ".") && id+".json" != catalogListJSON
	for _, r := range id {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			safe = false
			break
		}
	}
	if safe && len(id) <= 200 {
		return id + ".json"
	}
	sum := sha256.Sum256([]byte(id))
	return "x-" + hex.EncodeToString(sum[:12]) + ".json"
}

// readCatalog reads the catalog list of the generation in dir: the gob list,
// else the JSON list of catalog version 1.
func readCatalog(dir string) (map[string]*catalogEntry, error) {
	path := filepath.Join(dir, catalogDir, catalogList)
	data, err := readMaybeCompressed(path)
	if errors.Is(err, fs.ErrNotExist) {
		return readCatalogJSON(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("index: read catalog: %w", err)
	}
	var cf catalogFile
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&cf); err != nil {
		return nil, fmt.Errorf("index: decode catalog %s: %w", path, err)
	}
	if cf.Version != catalogVersion {
		return nil, fmt.Errorf("index: catalog version %d, want %d: rebuild the index", cf.Version, catalogVersion)
	}
	return catalogEntries(cf.Reports), nil
}

// readCatalogJSON reads the JSON catalog list of catalog version 1.
func readCatalogJSON(dir string) (map[string]*catalogEntry, error) {
	path := filepath.Join(dir, catalogDir, catalogListJSON)
	data, err := readMaybeCompressed(path)
	if errors.Is(err, fs.ErrNotExist) {
		// An index created but never committed a catalog: empty.
		return make(map[string]*catalogEntry), nil
	}
	if err != nil {
		return nil, fmt.Errorf("index: read catalog: %w", err)
	}
	var cf catalogFile
	if err := json.Unmarshal(data, &cf); err != nil {
		return nil, fmt.Errorf("index: decode catalog %s: %w", path, err)
	}
	if cf.Version != 1 {
		return nil, fmt.Errorf("index: catalog version %d, want 1 in %s: rebuild the index", cf.Version, path)
	}
	return catalogEntries(cf.Reports), nil
}

// catalogEntries maps the entries by report ID.
func catalogEntries(list []*catalogEntry) map[string]*catalogEntry {
	entries := make(map[string]*catalogEntry, len(list))
	for _, e := range list {
		entries[e.Meta.ID] = e
	}
	return entries
}

// writeCatalog atomically replaces the catalog list DIR/catalog/index.gob
// with the entries, and removes a version 1 list (index.json) left by the
// generation this one was copied from. Unless compress is set, the list is
// written uncompressed (which the catalog readers take too).
func (ix *state) writeCatalog(compress bool) error {
	ix.mu.RLock()
	cf := catalogFile{Version: catalogVersion, Reports: make([]*catalogEntry, 0, len(ix.entries))}
	for _, e := range ix.entries {
		cf.Reports = append(cf.Reports, e)
	}
	ix.mu.RUnlock()
	sort.Slice(cf.Reports, func(i, j int) bool { return cf.Reports[i].Meta.ID < cf.Reports[j].Meta.ID })
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(cf); err != nil {
		return fmt.Errorf("index: encode catalog: %w", err)
	}
	data := buf.Bytes()
	if compress {
		var err error
		if data, err = compressBytes(data); err != nil {
			return fmt.Errorf("index: encode catalog: %w", err)
		}
	}
	dir := filepath.Join(ix.dir, catalogDir)
	tmp, err := writeTemp(dir, catalogList, data)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, catalogList)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("index: commit catalog: %w", err)
	}
	if err := os.Remove(filepath.Join(dir, catalogListJSON)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("index: remove old catalog list: %w", err)
	}
	return syncDir(dir)
}

// The catalog files are zstd-compressed JSON: the catalog holds every
// paragraph, and zstd's strongest level stores the reports' text in 28% of
// its size (gzip: 31%), where the data directory's whole budget is 1.5 times
// the text. Catalogs written before are plain or gzip-compressed JSON and
// still read.

var (
	zstdEnc = sync.OnceValues(func() (*zstd.Encoder, error) {
		// One report is at most a few hundred KB: a 1 MiB window holds it
		// whole without the 8 MiB per-stream state of the level's default.
		return zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression),
			zstd.WithWindowSize(1<<20), zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)))
	})
	zstdDec = sync.OnceValues(func() (*zstd.Decoder, error) {
		// DecodeAll calls run at once up to the decoder's concurrency:
		// Index.Paragraphs reads report files on every core, and at 1
		// they took turns.
		return zstd.NewReader(nil, zstd.WithDecoderConcurrency(runtime.GOMAXPROCS(0)), zstd.WithDecoderLowmem(true))
	})
)

// compressBytes compresses a catalog file.
func compressBytes(data []byte) ([]byte, error) {
	enc, err := zstdEnc()
	if err != nil {
		return nil, err
	}
	return enc.EncodeAll(data, make([]byte, 0, len(data)/3)), nil
}

// readMaybeCompressed reads a catalog file: zstd, gzip or plain.
func readMaybeCompressed(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return decompress(path, data)
}

// decompress returns the content of a catalog file read from path: zstd,
// gzip or plain.
func decompress(path string, data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		dec, err := zstdDec()
		if err != nil {
			return nil, err
		}
		out, err := dec.DecodeAll(data, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return out, nil
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return out, nil
	}
	return data, nil
}

// writeTemp writes data to a new temporary file beside name in dir and
// syncs it, returning its path; the caller renames it into place.
func writeTemp(dir, name string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("index: stage %s: %w", name, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("index: stage %s: %w", name, err)
	}
	return f.Name(), nil
}

// syncDir makes renames in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("index: sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("index: sync %s: %w", dir, err)
	}
	return nil
}
