package index

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	"github.com/govbot/govbot/corpus"
)

// A report's catalog file is read a chunk of paragraphs at a time, so that
// an answer reads and decodes the paragraphs it shows, not the whole report
// they are in (over 10,000 reports, decoding whole reports on every report
// cache miss was the price of a small cache). The file is:
//
//	reportFileMagic
//	uvarint: length of the head
//	head: zstd-compressed JSON of reportHead (the report without paragraphs,
//	      and where each chunk is)
//	chunks: each a zstd frame of a table of paragraphs: uvarint n, n
//	        uvarint lengths, then the n paragraphs, each its own JSON
//
// A paragraph is read by decompressing its chunk and decoding its JSON
// alone: 6 µs, where decoding a whole chunk of 85 paragraphs (gob) took
// 100 µs, and answers over 10,000 reports read a chunk for each of their
// sixty-odd hits. The table compresses as well as gob did.
//
// Files written before are still read: chunked files whose chunks are
// gob-encoded []corpus.Paragraph (reportFileMagicGob), and zstd, gzip or
// plain JSON of the whole report, read whole.

// reportFileMagic starts a chunked report file: no JSON, zstd or gzip data
// starts so.
const reportFileMagic = "GVBR\x02"

// reportFileMagicGob starts the chunked report files written before the
// paragraph tables, whose chunks are gob-encoded []corpus.Paragraph.
const reportFileMagicGob = "GVBR\x01"

// chunkedFile reports whether data starts a chunked report file, and
// whether its chunks are gob-encoded.
func chunkedFile(data []byte) (chunked, gobChunks bool) {
	switch {
	case bytes.HasPrefix(data, []byte(reportFileMagic)):
		return true, false
	case bytes.HasPrefix(data, []byte(reportFileMagicGob)):
		return true, true
	}
	return false, false
}

// chunkBytes is about how much paragraph data (see paraSize) one chunk
// holds: small
// enough that reading one paragraph decodes little, large enough that zstd
// still finds the repetitions of a report's text (the data directory's
// budget is 1.5 times the text; whole reports compress to 28%). It is a
// variable so tests can force many chunks.
var chunkBytes = 96 << 10

// maxHeadBytes bounds a report file's head, against corrupt lengths.
const maxHeadBytes = 64 << 20

// reportHead is the first part of a chunked report file.
type reportHead struct {
	// Meta is the report without its paragraphs (headings and header lines
	// included).
	Meta corpus.Report `json:"meta"`
	// Paragraphs counts the report's paragraphs.
	Paragraphs int `json:"paragraphs"`
	// Firsts[k] is the index of chunk k's first paragraph, Ends[k] the
	// offset of the end of chunk k's frame from the end of the head.
	Firsts []int   `json:"firsts"`
	Ends   []int64 `json:"ends"`
	// BySeq says that paragraph i's document ID is "<report>#p<i+1>" (and
	// its ID that or none), so that a paragraph is found from its ID
	// without the report's lookup table.
	BySeq bool `json:"by_seq"`
}

// openHead is a report file's decoded head, as the report cache keeps it.
type openHead struct {
	reportHead
	path      string
	base      int64 // offset of the chunks in the file
	gobChunks bool  // chunks are gob-encoded, not tables
}

// chunkOf returns the chunk holding paragraph index i.
func (h *openHead) chunkOf(i int) int {
	return sort.Search(len(h.Firsts), func(k int) bool { return h.Firsts[k] > i }) - 1
}

// bySeq reports whether every paragraph's document ID is its ordinal's.
func bySeq(r *corpus.Report) bool {
	for i := range r.Paragraphs {
		p := &r.Paragraphs[i]
		want := r.ID + "#p" + strconv.Itoa(i+1)
		if docID(r, p) != want || p.ID != "" && p.ID != want {
			return false
		}
	}
	return true
}

// encodeReportFile returns r's chunked catalog file.
func encodeReportFile(r *corpus.Report) ([]byte, error) {
	head := reportHead{Meta: *r, Paragraphs: len(r.Paragraphs), BySeq: bySeq(r)}
	head.Meta.Paragraphs = nil
	var chunks []byte
	encode := func(ps []corpus.Paragraph) error {
		table, err := encodeChunk(ps)
		if err != nil {
			return err
		}
		z, err := compressBytes(table)
		if err != nil {
			return err
		}
		chunks = append(chunks, z...)
		head.Ends = append(head.Ends, int64(len(chunks)))
		return nil
	}
	first, size := 0, 0
	for i := range r.Paragraphs {
		n := paraSize(&r.Paragraphs[i])
		if i > first && size+n > chunkBytes {
			head.Firsts = append(head.Firsts, first)
			if err := encode(r.Paragraphs[first:i]); err != nil {
				return nil, err
			}
			first, size = i, 0
		}
		size += n
	}
	if first < len(r.Paragraphs) {
		head.Firsts = append(head.Firsts, first)
		if err := encode(r.Paragraphs[first:]); err != nil {
			return nil, err
		}
	}
	hj, err := json.Marshal(&head)
	if err != nil {
		return nil, err
	}
	hz, err := compressBytes(hj)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(reportFileMagic)+binary.MaxVarintLen64+len(hz)+len(chunks))
	out = append(out, reportFileMagic...)
	out = binary.AppendUvarint(out, uint64(len(hz)))
	out = append(out, hz...)
	return append(out, chunks...), nil
}

// encodeChunk returns the table of paragraphs ps.
func encodeChunk(ps []corpus.Paragraph) ([]byte, error) {
	encoded := make([][]byte, len(ps))
	size := binary.MaxVarintLen64
	for i := range ps {
		j, err := json.Marshal(&ps[i])
		if err != nil {
			return nil, fmt.Errorf("paragraph %d: %w", ps[i].Seq, err)
		}
		encoded[i] = j
		size += binary.MaxVarintLen64 + len(j)
	}
	out := make([]byte, 0, size)
	out = binary.AppendUvarint(out, uint64(len(ps)))
	for _, j := range encoded {
		out = binary.AppendUvarint(out, uint64(len(j)))
	}
	for _, j := range encoded {
		out = append(out, j...)
	}
	return out, nil
}

// paraSize estimates the encoded size of a paragraph.
func paraSize(p *corpus.Paragraph) int {
	const perFigure, perHeading = 48, 16
	n := len(p.ID) + len(p.Text)
	for _, h := range p.Path {
		n += perHeading + len(h.Text) + len(h.Marker)
	}
	for _, f := range p.Figures {
		n += perFigure + len(f.Text) + len(f.Unit) + len(f.BaseUnit) + len(f.Approx) + len(f.Context)
	}
	return n
}

// readHead reads the head of the chunked report file at path. It returns
// nil and no error when the file is of the older, whole-report kind.
func readHead(path string) (*openHead, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	const first = 16 << 10
	bp, buf := fileBuf(first)
	defer fileBufs.Put(bp)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	buf = buf[:n]
	chunked, gobChunks := chunkedFile(buf)
	if !chunked {
		return nil, nil
	}
	start, base, err := headBounds(path, buf)
	if err != nil {
		return nil, err
	}
	if int64(len(buf)) < base {
		more := make([]byte, base)
		copy(more, buf)
		if _, err := f.ReadAt(more[len(buf):], int64(len(buf))); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		buf = more
	}
	return decodeHead(path, buf[start:base], base, gobChunks)
}

// headBounds reads the head's length after the magic at the start of a
// chunked report file: the head is data[start:base] and the chunks follow
// it from base.
func headBounds(path string, data []byte) (start int, base int64, err error) {
	hlen, k := binary.Uvarint(data[len(reportFileMagic):])
	if k <= 0 || hlen > maxHeadBytes {
		return 0, 0, fmt.Errorf("%s: corrupt report file head", path)
	}
	start = len(reportFileMagic) + k
	return start, int64(start) + int64(hlen), nil
}

// decodeHead decodes the head z of the chunked report file at path, whose
// chunks start at offset base.
func decodeHead(path string, z []byte, base int64, gobChunks bool) (*openHead, error) {
	h := &openHead{path: path, base: base, gobChunks: gobChunks}
	if err := decodeZstdJSON(z, &h.reportHead); err != nil {
		return nil, fmt.Errorf("%s: head: %w", path, err)
	}
	if len(h.Firsts) != len(h.Ends) {
		return nil, fmt.Errorf("%s: corrupt report file head", path)
	}
	return h, nil
}

// decodeZstdJSON decodes zstd-compressed JSON into v.
func decodeZstdJSON(z []byte, v any) error {
	dec, err := zstdDec()
	if err != nil {
		return err
	}
	data, err := dec.DecodeAll(z, nil)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// chunkSpan returns where chunk k is in the file.
func (h *openHead) chunkSpan(k int) (off, n int64) {
	start := int64(0)
	if k > 0 {
		start = h.Ends[k-1]
	}
	return h.base + start, h.Ends[k] - start
}

// readChunk reads and decompresses chunk k; the caller releases it.
func (h *openHead) readChunk(k int) (*chunk, error) {
	off, n := h.chunkSpan(k)
	f, err := os.Open(h.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The compressed chunk is not kept: DecodeAll decompresses it into a
	// buffer of its own.
	bp, z := fileBuf(int(n))
	defer fileBufs.Put(bp)
	if _, err := f.ReadAt(z, off); err != nil {
		return nil, fmt.Errorf("%s: chunk %d: %w", h.path, k, err)
	}
	c, err := decodeChunk(z, h.gobChunks)
	if err != nil {
		return nil, fmt.Errorf("%s: chunk %d: %w", h.path, k, err)
	}
	return c, nil
}

// fileBufs holds buffers for report files' bytes, read (heads, chunks)
// and decompressed (chunks): every paragraph not in the report cache
// costs some, and answers over 10,000 reports read hundreds of megabytes
// of chunks per thousand questions (a quarter of the bytes they allocated
// before the buffers were pooled).
var fileBufs = sync.Pool{New: func() any { return new([]byte) }}

// fileBuf returns a buffer of fileBufs and n bytes of it; the caller puts
// the buffer back.
func fileBuf(n int) (*[]byte, []byte) {
	bp := fileBufs.Get().(*[]byte)
	if cap(*bp) < n {
		*bp = make([]byte, n)
	}
	return bp, (*bp)[:n]
}

// chunk is a decompressed chunk of a report file, whose paragraphs are
// decoded one at a time (a table) or were all decoded (gob).
type chunk struct {
	buf  *[]byte // from fileBufs, holding data
	data []byte  // a table's paragraphs' JSON
	ends []int   // where each paragraph's JSON ends in data
	// ps are a gob chunk's paragraphs, decoded from size bytes.
	ps   []corpus.Paragraph
	size int
}

// decodeChunk decompresses one chunk frame, and decodes its paragraphs if
// they are gob-encoded.
func decodeChunk(z []byte, gobChunks bool) (*chunk, error) {
	dec, err := zstdDec()
	if err != nil {
		return nil, err
	}
	bp := fileBufs.Get().(*[]byte)
	data, err := dec.DecodeAll(z, (*bp)[:0])
	if err != nil {
		fileBufs.Put(bp)
		return nil, err
	}
	*bp = data
	c := &chunk{buf: bp}
	if gobChunks {
		defer c.release()
		// gob copies what it decodes: data is reused.
		if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&c.ps); err != nil {
			return nil, err
		}
		r := corpus.Report{Paragraphs: c.ps}
		compact(&r)
		c.ps, c.size = r.Paragraphs, len(data)
		return c, nil
	}
	if err := c.parseTable(data); err != nil {
		c.release()
		return nil, err
	}
	return c, nil
}

// errCorruptChunk is a chunk whose table does not add up.
var errCorruptChunk = errors.New("corrupt paragraph table")

// parseTable reads the lengths of a table chunk's paragraphs.
func (c *chunk) parseTable(data []byte) error {
	n, k := binary.Uvarint(data)
	// Each paragraph's length takes a byte at least.
	if k <= 0 || n > uint64(len(data)) {
		return errCorruptChunk
	}
	data = data[k:]
	c.ends = make([]int, n)
	end := 0
	for i := range c.ends {
		size, k := binary.Uvarint(data)
		if k <= 0 || size > uint64(len(data)) {
			return errCorruptChunk
		}
		data = data[k:]
		end += int(size)
		c.ends[i] = end
	}
	if end != len(data) {
		return errCorruptChunk
	}
	c.data = data
	return nil
}

// len returns how many paragraphs the chunk holds.
func (c *chunk) len() int {
	if c.ends == nil {
		return len(c.ps)
	}
	return len(c.ends)
}

// paragraph decodes the chunk's i-th paragraph, and returns it with its
// cost in the report cache.
func (c *chunk) paragraph(i int) (*corpus.Paragraph, int64, error) {
	if i < 0 || i >= c.len() {
		return nil, 0, errCorruptChunk
	}
	if c.ends == nil {
		p := c.ps[i]
		cost := reportCost(c.size, len(c.ps)) * int64(paraSize(&p)+1) / int64(max(chunkDataSize(c.ps), 1))
		return &p, cost, nil
	}
	start := 0
	if i > 0 {
		start = c.ends[i-1]
	}
	ps := make([]corpus.Paragraph, 1)
	if err := json.Unmarshal(c.data[start:c.ends[i]], &ps[0]); err != nil {
		return nil, 0, fmt.Errorf("paragraph %d: %w", i, err)
	}
	r := corpus.Report{Paragraphs: ps}
	compact(&r)
	return &r.Paragraphs[0], reportCost(c.ends[i]-start, 1), nil
}

// all decodes the chunk's paragraphs; it returns them and the size of
// their encoding.
func (c *chunk) all() ([]corpus.Paragraph, int, error) {
	if c.ends == nil {
		return c.ps, c.size, nil
	}
	ps := make([]corpus.Paragraph, c.len())
	start := 0
	for i, end := range c.ends {
		if err := json.Unmarshal(c.data[start:end], &ps[i]); err != nil {
			return nil, 0, fmt.Errorf("paragraph %d: %w", i, err)
		}
		start = end
	}
	r := corpus.Report{Paragraphs: ps}
	compact(&r)
	return r.Paragraphs, len(c.data), nil
}

// release returns the chunk's buffer; the chunk is not used after.
func (c *chunk) release() {
	if c.buf != nil {
		fileBufs.Put(c.buf)
		c.buf, c.data = nil, nil
	}
}

// decodeReportFile decodes a whole chunked report file; it returns the
// report and the size of its JSON.
func decodeReportFile(path string, data []byte) (*corpus.Report, int, error) {
	start, base, err := headBounds(path, data)
	if err != nil {
		return nil, 0, err
	}
	if base > int64(len(data)) {
		return nil, 0, fmt.Errorf("%s: corrupt report file head", path)
	}
	_, gobChunks := chunkedFile(data)
	h, err := decodeHead(path, data[start:base], base, gobChunks)
	if err != nil {
		return nil, 0, err
	}
	r := h.Meta
	r.Paragraphs = make([]corpus.Paragraph, 0, h.Paragraphs)
	size := 0
	for k := range h.Ends {
		off, n := h.chunkSpan(k)
		if off+n > int64(len(data)) {
			return nil, 0, fmt.Errorf("%s: chunk %d: %w", path, k, io.ErrUnexpectedEOF)
		}
		ps, sz, err := decodeWholeChunk(data[off:off+n], gobChunks)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: chunk %d: %w", path, k, err)
		}
		r.Paragraphs = append(r.Paragraphs, ps...)
		size += sz
	}
	return &r, size, nil
}

// decodeWholeChunk decodes all the paragraphs of chunk frame z.
func decodeWholeChunk(z []byte, gobChunks bool) ([]corpus.Paragraph, int, error) {
	c, err := decodeChunk(z, gobChunks)
	if err != nil {
		return nil, 0, err
	}
	defer c.release()
	return c.all()
}

// cacheKey names what the report cache holds of a report: the whole report,
// its file's head, or one of its paragraphs.
type cacheKey struct {
	id   string
	part int // partWhole, partHead, or partParagraph - a paragraph's ordinal
}

const (
	partWhole = -2
	partHead  = -1
	// partParagraph - seq is the part of the report's paragraph with
	// ordinal seq (1-based), cached alone.
	partParagraph = -3
)

// paragraphOverhead is what a cached paragraph costs beyond its data: the
// struct, the cache entry and its key.
const paragraphOverhead = 256

// head returns the head of report id's chunked file, cached; nil when the
// report has no chunked file (an in-memory index, or a file written before).
func (ix *state) head(id string) (*openHead, error) {
	if ix.dir == "" {
		return nil, nil
	}
	if v := ix.cache.get(cacheKey{id, partHead}); v != nil {
		h, _ := v.(*openHead)
		return h, nil
	}
	ix.mu.RLock()
	e := ix.entries[id]
	ix.mu.RUnlock()
	if e == nil {
		return nil, fmt.Errorf("index: report %q: %w", id, fs.ErrNotExist)
	}
	h, err := readHead(filepath.Join(ix.dir, catalogDir, e.File))
	if err != nil {
		return nil, fmt.Errorf("index: load report %q: %w", id, err)
	}
	const headOverhead = 1 << 10
	if h == nil {
		// Remembered as no head, at little cost.
		ix.cache.put(cacheKey{id, partHead}, noHead{}, 64)
		return nil, nil
	}
	hv := ix.cache.put(cacheKey{id, partHead}, h, headOverhead+int64(len(h.Meta.Headings))*200+int64(len(h.Firsts))*16)
	h, _ = hv.(*openHead)
	return h, nil
}

// noHead marks, in the report cache, a report whose file has no head.
type noHead struct{}

// chunkParagraph returns paragraph ID id of report rid from its chunked
// file, reading only its chunk; ok is false when the report's file is not
// chunked or its paragraphs are not found by ordinal.
func (ix *state) chunkParagraph(rid, id string) (*corpus.Report, *corpus.Paragraph, bool, error) {
	h, err := ix.head(rid)
	if err != nil || h == nil || !h.BySeq {
		return nil, nil, false, err
	}
	r, seq, ok := ordinalID(id)
	if !ok || r != rid || seq > h.Paragraphs {
		return nil, nil, true, fmt.Errorf("index: paragraph %q: %w", id, fs.ErrNotExist)
	}
	key := cacheKey{rid, partParagraph - seq}
	if v := ix.cache.get(key); v != nil {
		return &h.Meta, v.(*corpus.Paragraph), true, nil
	}
	k := h.chunkOf(seq - 1)
	c, err := h.readChunk(k)
	if err != nil {
		return nil, nil, true, fmt.Errorf("index: load report %q: %w", rid, err)
	}
	defer c.release()
	p, err := ix.cacheParagraph(h, rid, k, seq, c)
	if err != nil {
		return nil, nil, true, fmt.Errorf("index: paragraph %q: chunk %d of %s: %w", id, k, h.path, err)
	}
	return &h.Meta, p, true, nil
}

// chunkDataSize is the paragraph data of ps, as paraSize counts it.
func chunkDataSize(ps []corpus.Paragraph) int {
	n := 0
	for i := range ps {
		n += paraSize(&ps[i])
	}
	return n
}
