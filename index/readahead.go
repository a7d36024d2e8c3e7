package index

import (
	"slices"
	"strconv"

	"github.com/govbot/govbot/corpus"
)

// Read is a paragraph read by Paragraphs, with its report, or the error
// Paragraph would have given.
type Read struct {
	Report    *corpus.Report
	Paragraph *corpus.Paragraph
	Err       error
}

// Paragraphs reads the paragraphs with IDs ids, as Paragraph does one at a
// time, but each chunk of a report file once however many of them it
// holds, and up to GOMAXPROCS chunks at a time: an answer reads the
// paragraphs of its sixty-odd hits, from about as many reports, and over
// 10,000 reports reading and decoding their chunks one after another was a
// fifth of answering.
func (ix *Index) Paragraphs(ids []string) []Read {
	s := ix.acquire()
	defer s.release()
	ahead := s.readAhead(ids)
	out := make([]Read, len(ids))
	for i, id := range ids {
		if r, ok := ahead[id]; ok {
			out[i] = r
			continue
		}
		out[i].Report, out[i].Paragraph, out[i].Err = s.paragraph(id)
	}
	return out
}

// reportRead is the paragraphs of one report to read ahead, by ordinal,
// and what was read (nil where a paragraph was not).
type reportRead struct {
	rid  string
	seqs []int
	h    *openHead
	read []*corpus.Paragraph
}

// readAhead reads the paragraphs of ids that are in chunked report files
// and not in the report cache, a report at a time (its file's head, then
// each chunk holding some of them, once), several reports at a time; it
// returns them by ID. The others, and those whose file failed, are left to
// Paragraph.
func (ix *state) readAhead(ids []string) map[string]Read {
	if ix.dir == "" || len(ids) == 0 {
		return nil
	}
	reads := ix.reportReads(ids)
	parallel(len(reads), func(i int) { ix.readReport(&reads[i]) })
	out := make(map[string]Read)
	for _, r := range reads {
		for i, p := range r.read {
			if p != nil {
				out[r.rid+"#p"+strconv.Itoa(r.seqs[i])] = Read{Report: &r.h.Meta, Paragraph: p}
			}
		}
	}
	return out
}

// reportReads groups the paragraphs of ids the cache does not hold (and
// that are named by ordinal) by report, in the order first wanted.
func (ix *state) reportReads(ids []string) []reportRead {
	at := make(map[string]int)
	var reads []reportRead
	for _, id := range ids {
		rid, seq, ok := ordinalID(id)
		if !ok || ix.cache.get(cacheKey{rid, partParagraph - seq}) != nil {
			continue
		}
		j, ok := at[rid]
		if !ok {
			j = len(reads)
			at[rid] = j
			reads = append(reads, reportRead{rid: rid})
		}
		if !slices.Contains(reads[j].seqs, seq) {
			reads[j].seqs = append(reads[j].seqs, seq)
		}
	}
	return reads
}

// readReport reads r's paragraphs: its file's head, then each chunk that
// holds some of them, once.
func (ix *state) readReport(r *reportRead) {
	h, err := ix.head(r.rid)
	if err != nil || h == nil || !h.BySeq {
		return
	}
	r.h, r.read = h, make([]*corpus.Paragraph, len(r.seqs))
	byChunk := make(map[int][]int) // chunk → indexes into r.seqs
	var chunks []int
	for i, seq := range r.seqs {
		if seq > h.Paragraphs {
			continue
		}
		k := h.chunkOf(seq - 1)
		if _, ok := byChunk[k]; !ok {
			chunks = append(chunks, k)
		}
		byChunk[k] = append(byChunk[k], i)
	}
	for _, k := range chunks {
		c, err := h.readChunk(k)
		if err != nil {
			continue
		}
		for _, i := range byChunk[k] {
			r.read[i], _ = ix.cacheParagraph(h, r.rid, k, r.seqs[i], c)
		}
		c.release()
	}
}

// cacheParagraph decodes paragraph seq of report rid from its chunk c
// (chunk k), caches it and returns it.
func (ix *state) cacheParagraph(h *openHead, rid string, k, seq int, c *chunk) (*corpus.Paragraph, error) {
	// The paragraph alone is kept, not its chunk: an answer reads a few
	// paragraphs of each of many reports, and whole chunks filled the
	// cache with paragraphs no answer asked for.
	p, cost, err := c.paragraph(seq - 1 - h.Firsts[k])
	if err != nil {
		return nil, err
	}
	return ix.cache.put(cacheKey{rid, partParagraph - seq}, p, cost+paragraphOverhead).(*corpus.Paragraph), nil
}
