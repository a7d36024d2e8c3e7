package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/govbot/govbot/corpus"
)

// Layout of a data directory.
const (
	bleveDir    = "bleve"
	catalogDir  = "catalog"
	catalogList = "index.json"
	// catalogVersion is bumped when the catalog format changes incompatibly.
	catalogVersion = 1
)

// Bleve field names of a paragraph document.
const (
	fieldText       = "text"
	fieldSection    = "section"
	fieldTitle      = "title"
	fieldIssuer     = "issuer"      // keyword
	fieldIssuerText = "issuer_text" // analysed
	fieldReport     = "report"
	fieldYear       = "year"
	fieldSeq        = "seq"
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
// new. It is a variable so tests can force several batches.
var batchParagraphs = 20000

// testHookBeforeBatch, when set, runs before each bleve batch is committed.
var testHookBeforeBatch func()

type state struct {
	dir string // "" for an in-memory index
	bi  bleve.Index

	wmu sync.Mutex // serialises Add and Remove

	mu      sync.RWMutex // guards entries and cache
	entries map[string]*catalogEntry
	cache   map[string]*loadedReport
}

// catalogEntry is one report in DIR/catalog/index.json.
type catalogEntry struct {
	// Meta is the report without paragraphs.
	Meta corpus.Report `json:"meta"`
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
// paragraphs, BM25 scoring, nothing stored but the report ID and ordinal.
func newMapping() *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	im.ScoringModel = bindex.BM25Scoring
	im.DefaultAnalyzer = AnalyzerName
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	analysed := func(name string, vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Name = name
		f.Analyzer = AnalyzerName
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = false
		// Term vectors (positions) make phrase queries and hit term
		// locations possible; only the searched fields need them.
		f.IncludeTermVectors = vectors
		return f
	}
	kw := func(name string, store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Name = name
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	num := func(name string, store bool) *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Name = name
		f.Store = store
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldText, analysed(fieldText, true))
	dm.AddFieldMappingsAt(fieldSection, analysed(fieldSection, true))
	dm.AddFieldMappingsAt(fieldTitle, analysed(fieldTitle, false))
	dm.AddFieldMappingsAt(fieldIssuer, kw(fieldIssuer, false), analysed(fieldIssuerText, false))
	dm.AddFieldMappingsAt(fieldReport, kw(fieldReport, true))
	dm.AddFieldMappingsAt(fieldYear, num(fieldYear, false))
	dm.AddFieldMappingsAt(fieldSeq, num(fieldSeq, true))
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
		fieldSeq:    float64(p.Seq),
	}
	if len(p.Path) > 0 {
		d[fieldSection] = strings.Join(p.SectionPath(), "\n")
	}
	if r.Title != "" {
		d[fieldTitle] = r.Title
	}
	if r.Issuer != "" {
		d[fieldIssuer] = r.Issuer
	}
	if r.Year != 0 {
		d[fieldYear] = float64(r.Year)
	}
	return d
}

func open(dir string) (*Index, error) {
	bdir := filepath.Join(dir, bleveDir)
	if _, err := os.Stat(filepath.Join(bdir, "index_meta.json")); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("index: open %s: %w", dir, ErrNoIndex)
		}
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	entries, err := readCatalog(dir)
	if err != nil {
		return nil, err
	}
	// bolt_timeout: another process holding the index (an update running)
	// makes Open fail instead of blocking forever.
	bi, err := bleve.OpenUsing(bdir, map[string]interface{}{"bolt_timeout": "10s"})
	if err != nil {
		return nil, fmt.Errorf("index: open bleve index %s: %w", bdir, err)
	}
	ix := &Index{state{dir: dir, bi: bi, entries: entries, cache: make(map[string]*loadedReport)}}
	return ix, nil
}

// create makes a new empty index in dir.
func create(dir string) (*Index, error) {
	if err := os.MkdirAll(filepath.Join(dir, catalogDir), 0o755); err != nil {
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	bdir := filepath.Join(dir, bleveDir)
	// A bleve directory without index_meta.json is debris of an interrupted
	// create; bleve refuses to create over it.
	if err := os.RemoveAll(bdir); err != nil {
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	bi, err := bleve.NewUsing(bdir, newMapping(), bleve.Config.DefaultIndexType, scorch.Name, map[string]interface{}{"bolt_timeout": "10s"})
	if err != nil {
		return nil, fmt.Errorf("index: create bleve index %s: %w", bdir, err)
	}
	ix := &Index{state{dir: dir, bi: bi, entries: make(map[string]*catalogEntry), cache: make(map[string]*loadedReport)}}
	if err := ix.writeCatalog(); err != nil {
		bi.Close()
		return nil, err
	}
	return ix, nil
}

func openMemory(reports []*corpus.Report) (*Index, error) {
	bi, err := bleve.NewMemOnly(newMapping())
	if err != nil {
		return nil, fmt.Errorf("index: create in-memory index: %w", err)
	}
	ix := &Index{state{bi: bi, entries: make(map[string]*catalogEntry), cache: make(map[string]*loadedReport)}}
	if _, err := ix.add(context.Background(), reports); err != nil {
		bi.Close()
		return nil, err
	}
	return ix, nil
}

func (ix *Index) close() error {
	if err := ix.bi.Close(); err != nil {
		return fmt.Errorf("index: close: %w", err)
	}
	return nil
}

func update(ctx context.Context, dir string, reports []*corpus.Report) (UpdateStats, error) {
	ix, err := open(dir)
	if errors.Is(err, ErrNoIndex) {
		ix, err = create(dir)
	}
	if err != nil {
		return UpdateStats{}, err
	}
	st, err := ix.add(ctx, reports)
	if cerr := ix.close(); err == nil && cerr != nil {
		err = cerr
	}
	return st, err
}

// pending is a report to (re)index.
type pending struct {
	r    *corpus.Report
	data []byte // JSON encoding: the catalog file and the hash input
	e    *catalogEntry
	tmp  string // staged catalog file, dir mode only
	old  bool
}

func (ix *Index) add(ctx context.Context, reports []*corpus.Report) (UpdateStats, error) {
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
	var todo []*pending
	for i, r := range reports {
		if byID[r.ID] != i {
			continue
		}
		data, err := json.Marshal(r)
		if err != nil {
			return st, fmt.Errorf("index: encode report %s: %w", r.ID, err)
		}
		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:])
		ix.mu.RLock()
		old := ix.entries[r.ID]
		ix.mu.RUnlock()
		if old != nil && old.Hash == hash {
			st.Unchanged++
			continue
		}
		meta := *r
		meta.Paragraphs = nil
		e := &catalogEntry{Meta: meta, Paragraphs: len(r.Paragraphs), Hash: hash, File: catalogFileName(r.ID)}
		for j := range r.Paragraphs {
			e.Figures += len(r.Paragraphs[j].Figures)
			e.Bytes += int64(len(r.Paragraphs[j].Text))
		}
		todo = append(todo, &pending{r: r, data: data, e: e, old: old != nil})
	}

	for len(todo) > 0 {
		n, paras := 0, 0
		for n < len(todo) && (n == 0 || paras+len(todo[n].r.Paragraphs) <= batchParagraphs) {
			paras += len(todo[n].r.Paragraphs)
			n++
		}
		group := todo[:n]
		todo = todo[n:]
		if err := ix.addBatch(ctx, group); err != nil {
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
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// addBatch indexes whole reports in one bleve batch, then commits their
// catalog entries. The catalog files are staged before the batch and renamed
// into place after it, and the catalog list is rewritten last, so a failure
// at any point leaves the catalog describing what bleve had before or,
// after a crash between the two commits, an older hash that makes the next
// update re-index the report.
func (ix *Index) addBatch(ctx context.Context, group []*pending) (err error) {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("index: update cancelled: %w", err)
	}
	if ix.dir != "" {
		defer func() {
			if err != nil {
				for _, p := range group {
					if p.tmp != "" {
						os.Remove(p.tmp)
					}
				}
			}
		}()
		for _, p := range group {
			tmp, err := writeTemp(filepath.Join(ix.dir, catalogDir), p.e.File, p.data)
			if err != nil {
				return err
			}
			p.tmp = tmp
		}
	}
	b := ix.bi.NewBatch()
	for _, p := range group {
		// Delete every document of the old version, found in bleve itself
		// so that paragraphs the new version lacks go too; a report new to
		// the catalog may still have documents left by an interrupted
		// Remove.
		ids, err := ix.docIDs(ctx, p.r.ID)
		if err != nil {
			return err
		}
		for _, id := range ids {
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
		if ix.dir == "" {
			ix.cache[p.r.ID] = newLoaded(p.r)
		} else {
			delete(ix.cache, p.r.ID)
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
	return ix.writeCatalog()
}

// docIDs returns the IDs of all documents of a report.
func (ix *Index) docIDs(ctx context.Context, reportID string) ([]string, error) {
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

func (ix *Index) remove(ctx context.Context, reportIDs []string) error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	var gone []*catalogEntry
	ix.mu.Lock()
	for _, id := range reportIDs {
		if e := ix.entries[id]; e != nil {
			gone = append(gone, e)
			delete(ix.entries, id)
			delete(ix.cache, id)
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
		if err := ix.writeCatalog(); err != nil {
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

func (ix *Index) restoreEntries(es []*catalogEntry) {
	ix.mu.Lock()
	for _, e := range es {
		ix.entries[e.Meta.ID] = e
	}
	ix.mu.Unlock()
}

func (ix *Index) reports() []ReportInfo {
	ix.mu.RLock()
	out := make([]ReportInfo, 0, len(ix.entries))
	for _, e := range ix.entries {
		out = append(out, ReportInfo{Report: e.Meta, Paragraphs: e.Paragraphs, Figures: e.Figures, Hash: e.Hash})
	}
	ix.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		a, b := &out[i].Report, &out[j].Report
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

func (ix *Index) loaded(id string) (*loadedReport, error) {
	ix.mu.RLock()
	l, e := ix.cache[id], ix.entries[id]
	ix.mu.RUnlock()
	if l != nil {
		return l, nil
	}
	if e == nil || ix.dir == "" {
		return nil, fmt.Errorf("index: report %q: %w", id, fs.ErrNotExist)
	}
	data, err := os.ReadFile(filepath.Join(ix.dir, catalogDir, e.File))
	if err != nil {
		return nil, fmt.Errorf("index: load report %q: %w", id, err)
	}
	r := new(corpus.Report)
	if err := json.Unmarshal(data, r); err != nil {
		return nil, fmt.Errorf("index: decode report %q: %w", id, err)
	}
	l = newLoaded(r)
	ix.mu.Lock()
	// Keep a concurrent loader's copy, or drop ours if the report was
	// updated meanwhile.
	if cur := ix.cache[id]; cur != nil {
		l = cur
	} else if ix.entries[id] == e {
		ix.cache[id] = l
	}
	ix.mu.Unlock()
	return l, nil
}

func (ix *Index) report(id string) (*corpus.Report, error) {
	l, err := ix.loaded(id)
	if err != nil {
		return nil, err
	}
	return l.r, nil
}

func (ix *Index) paragraph(id string) (*corpus.Report, *corpus.Paragraph, error) {
	i := strings.LastIndex(id, "#")
	if i <= 0 {
		return nil, nil, fmt.Errorf("index: paragraph ID %q: want <report>#p<seq>", id)
	}
	l, err := ix.loaded(id[:i])
	if err != nil {
		return nil, nil, err
	}
	j, ok := l.byID[id]
	if !ok {
		return nil, nil, fmt.Errorf("index: paragraph %q: %w", id, fs.ErrNotExist)
	}
	return l.r, &l.r.Paragraphs[j], nil
}

// queryTerm is one weighted term of a search.
type queryTerm struct {
	term   string
	weight float64
}

// queryTerms analyses q into weighted, distinct terms.
func queryTerms(q Query) []queryTerm {
	var out []queryTerm
	at := make(map[string]int)
	addTerm := func(term string, w float64) {
		if i, ok := at[term]; ok {
			out[i].weight = max(out[i].weight, w)
			return
		}
		at[term] = len(out)
		out = append(out, queryTerm{term, w})
	}
	if q.Text != "" {
		analyze(q.Text, func(t token) {
			w := 1.0
			if t.sub {
				w = subWordWeight
			}
			if t.num {
				w = numberWeight
			}
			addTerm(t.term, w)
		})
	}
	for _, t := range q.Terms {
		t = foldString(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		w := 1.0
		if b, ok := q.TermBoosts[t]; ok {
			w = b
		}
		addTerm(t, w)
	}
	return out
}

func (ix *Index) search(ctx context.Context, q Query) ([]Hit, error) {
	terms := queryTerms(q)
	if len(terms) == 0 {
		return nil, nil
	}
	size := q.Size
	if size <= 0 {
		size = defaultSize
	}
	sectionBoost := q.SectionBoost
	if sectionBoost == 0 {
		sectionBoost = defaultSectionBoost
	}
	var should []query.Query
	for _, t := range terms {
		if t.weight <= 0 {
			continue
		}
		tq := query.NewTermQuery(t.term)
		tq.SetField(fieldText)
		tq.SetBoost(t.weight)
		should = append(should, tq)
		if sectionBoost > 0 {
			sq := query.NewTermQuery(t.term)
			sq.SetField(fieldSection)
			sq.SetBoost(t.weight * sectionBoost)
			should = append(should, sq)
		}
	}
	if len(should) == 0 {
		return nil, nil
	}
	var root query.Query = query.NewDisjunctionQuery(should)
	if len(q.Reports) > 0 {
		var rs []query.Query
		for _, id := range q.Reports {
			rq := query.NewTermQuery(id)
			rq.SetField(fieldReport)
			rs = append(rs, rq)
		}
		bq := query.NewBooleanQuery([]query.Query{root}, nil, nil)
		// A filter restricts without scoring: a must clause on the report
		// would favour paragraphs of small reports (higher IDF).
		bq.AddFilter(query.NewDisjunctionQuery(rs))
		root = bq
	}
	// Ask for a few extra hits: hits of reports missing from the catalog
	// (a removal interrupted midway) are dropped below.
	req := bleve.NewSearchRequestOptions(root, size+4, 0, false)
	req.Fields = []string{fieldReport, fieldSeq}
	req.IncludeLocations = true
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	hits := make([]Hit, 0, len(res.Hits))
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for _, h := range res.Hits {
		rep, _ := h.Fields[fieldReport].(string)
		if ix.entries[rep] == nil {
			continue
		}
		seq, _ := h.Fields[fieldSeq].(float64)
		hit := Hit{Report: rep, Paragraph: h.ID, Seq: int(seq), Score: h.Score}
		for _, t := range terms {
			if len(h.Locations[fieldText][t.term]) > 0 || len(h.Locations[fieldSection][t.term]) > 0 {
				hit.Matched = append(hit.Matched, t.term)
			}
		}
		hits = append(hits, hit)
		if len(hits) == size {
			break
		}
	}
	return hits, nil
}

func (ix *Index) docFreq(term string) int {
	term = foldString(strings.TrimSpace(term))
	if term == "" {
		return 0
	}
	adv, err := ix.bi.Advanced()
	if err != nil {
		return 0
	}
	r, err := adv.Reader()
	if err != nil {
		return 0
	}
	defer r.Close()
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), fieldText, false, false, false)
	if err != nil {
		return 0
	}
	defer tfr.Close()
	return int(tfr.Count())
}

func (ix *Index) numParagraphs() int {
	n, err := ix.bi.DocCount()
	if err != nil {
		return 0
	}
	return int(n)
}

// catalogFileName maps a report ID to a safe file name in DIR/catalog.
func catalogFileName(id string) string {
	safe := id != "" && !strings.HasPrefix(id, ".") && id != catalogList
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

func readCatalog(dir string) (map[string]*catalogEntry, error) {
	entries := make(map[string]*catalogEntry)
	data, err := os.ReadFile(filepath.Join(dir, catalogDir, catalogList))
	if errors.Is(err, fs.ErrNotExist) {
		// An index created but never committed a catalog: empty.
		return entries, nil
	}
	if err != nil {
		return nil, fmt.Errorf("index: read catalog: %w", err)
	}
	var cf catalogFile
	if err := json.Unmarshal(data, &cf); err != nil {
		return nil, fmt.Errorf("index: decode catalog %s: %w", filepath.Join(dir, catalogDir, catalogList), err)
	}
	if cf.Version != catalogVersion {
		return nil, fmt.Errorf("index: catalog version %d, want %d: rebuild the index", cf.Version, catalogVersion)
	}
	for _, e := range cf.Reports {
		entries[e.Meta.ID] = e
	}
	return entries, nil
}

// writeCatalog atomically replaces DIR/catalog/index.json with the entries.
func (ix *Index) writeCatalog() error {
	ix.mu.RLock()
	cf := catalogFile{Version: catalogVersion, Reports: make([]*catalogEntry, 0, len(ix.entries))}
	for _, e := range ix.entries {
		cf.Reports = append(cf.Reports, e)
	}
	ix.mu.RUnlock()
	sort.Slice(cf.Reports, func(i, j int) bool { return cf.Reports[i].Meta.ID < cf.Reports[j].Meta.ID })
	data, err := json.MarshalIndent(cf, "", "\t")
	if err != nil {
		return fmt.Errorf("index: encode catalog: %w", err)
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
	return syncDir(dir)
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
