package index

import (
	"runtime"
	"strconv"
	"strings"
	"sync"

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

// chunkRead is one chunk of a report file to read, with the ordinals of
// the paragraphs wanted from it, and what was read.
type chunkRead struct {
	h    *openHead
	rid  string
	k    int
	seqs []int
	read []*corpus.Paragraph // by seqs; nil when the chunk was not read
}

// readAhead reads the paragraphs of ids that are in chunked report files
// and not in the report cache, a chunk at a time, in parallel; it returns
// them by ID. The others, and those whose chunk failed, are left to
// Paragraph.
func (ix *state) readAhead(ids []string) map[string]Read {
	if ix.dir == "" || len(ids) == 0 {
		return nil
	}
	reads := ix.chunkReads(ids)
	workers := min(runtime.GOMAXPROCS(0), len(reads))
	if workers <= 1 {
		for i := range reads {
			ix.readParagraphs(&reads[i])
		}
	} else {
		next := make(chan *chunkRead)
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range next {
					ix.readParagraphs(r)
				}
			}()
		}
		for i := range reads {
			next <- &reads[i]
		}
		close(next)
		wg.Wait()
	}
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

// chunkReads groups the paragraphs of ids the cache does not hold by the
// chunk that holds them, in the order first wanted.
func (ix *state) chunkReads(ids []string) []chunkRead {
	type chunkID struct {
		rid string
		k   int
	}
	at := make(map[chunkID]int)
	var reads []chunkRead
	for _, id := range ids {
		i := strings.LastIndexByte(id, '#')
		if i <= 0 {
			continue
		}
		rid := id[:i]
		seq, ok := seqFromID(id)
		if !ok || id != rid+"#p"+strconv.Itoa(seq) || ix.cache.get(cacheKey{rid, partParagraph - seq}) != nil {
			continue
		}
		h, err := ix.head(rid)
		if err != nil || h == nil || !h.BySeq || seq > h.Paragraphs {
			continue
		}
		c := chunkID{rid, h.chunkOf(seq - 1)}
		if j, ok := at[c]; ok {
			reads[j].seqs = append(reads[j].seqs, seq)
			continue
		}
		at[c] = len(reads)
		reads = append(reads, chunkRead{h: h, rid: rid, k: c.k, seqs: []int{seq}})
	}
	return reads
}

// readParagraphs reads r's chunk and caches the paragraphs wanted of it.
func (ix *state) readParagraphs(r *chunkRead) {
	c, err := r.h.readChunk(r.k)
	if err != nil {
		return
	}
	defer c.release()
	r.read = make([]*corpus.Paragraph, len(r.seqs))
	for i, seq := range r.seqs {
		r.read[i], _ = ix.cacheParagraph(r.h, r.rid, r.k, seq, c)
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
