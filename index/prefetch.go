package index

import (
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/govbot/govbot/corpus"
)

// Prefetch reads into the report cache the paragraphs of ids it does not
// hold, each chunk of a report file once however many of them it holds, up
// to GOMAXPROCS chunks at a time: an answer reads the paragraphs of its
// sixty-odd hits, from about as many reports, and over 10,000 reports
// reading and decoding their chunks one after another was a fifth of
// answering. The Paragraph calls that follow find them cached. Errors are
// left for those calls to report.
func (ix *Index) Prefetch(ids []string) {
	s := ix.acquire()
	defer s.release()
	s.prefetch(ids)
}

// chunkRead is one chunk of a report file to read, with the ordinals of
// the paragraphs wanted from it.
type chunkRead struct {
	h    *openHead
	rid  string
	k    int
	seqs []int
}

func (ix *state) prefetch(ids []string) {
	if ix.dir == "" || len(ids) == 0 {
		return
	}
	reads := ix.chunkReads(ids)
	workers := min(runtime.GOMAXPROCS(0), len(reads))
	if workers <= 1 {
		for _, r := range reads {
			ix.readParagraphs(r)
		}
		return
	}
	next := make(chan chunkRead)
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
	for _, r := range reads {
		next <- r
	}
	close(next)
	wg.Wait()
}

// chunkReads groups the paragraphs of ids the cache does not hold by the
// chunk that holds them, in the order first wanted.
func (ix *state) chunkReads(ids []string) []chunkRead {
	type chunk struct {
		rid string
		k   int
	}
	at := make(map[chunk]int)
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
		c := chunk{rid, h.chunkOf(seq - 1)}
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
func (ix *state) readParagraphs(r chunkRead) {
	c, err := r.h.readChunk(r.k)
	if err != nil {
		return
	}
	defer c.release()
	for _, seq := range r.seqs {
		ix.cacheParagraph(r.h, r.rid, r.k, seq, c)
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
