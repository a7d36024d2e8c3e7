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
//	chunks: each a zstd frame of a gob-encoded []corpus.Paragraph (gob
//	        decodes six times as fast as JSON, and a cold `govbot ask`
//	        decodes the chunks of all its candidate paragraphs)
//
// Files written before (zstd, gzip or plain JSON of the whole report) are
// still read whole.

// reportFileMagic starts a chunked report file: no JSON, zstd or gzip data
// starts so.
const reportFileMagic = "GVBR\x01"

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
	path string
	base int64 // offset of the chunks in the file
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
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(ps); err != nil {
			return err
		}
		z, err := compressBytes(buf.Bytes())
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
	buf := make([]byte, first)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	buf = buf[:n]
	if !bytes.HasPrefix(buf, []byte(reportFileMagic)) {
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
	return decodeHead(path, buf[start:base], base)
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
func decodeHead(path string, z []byte, base int64) (*openHead, error) {
	h := &openHead{path: path, base: base}
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

// readChunk reads and decodes chunk k's paragraphs.
func (h *openHead) readChunk(k int) ([]corpus.Paragraph, int, error) {
	off, n := h.chunkSpan(k)
	f, err := os.Open(h.path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	z := make([]byte, n)
	if _, err := f.ReadAt(z, off); err != nil {
		return nil, 0, fmt.Errorf("%s: chunk %d: %w", h.path, k, err)
	}
	ps, size, err := decodeChunk(z)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: chunk %d: %w", h.path, k, err)
	}
	return ps, size, nil
}

// chunkBufs holds buffers for decompressed chunks: every paragraph not in
// the report cache costs one, and answers over 10,000 reports read hundreds
// of megabytes of chunks per thousand questions.
var chunkBufs = sync.Pool{New: func() any { return new([]byte) }}

// decodeChunk decodes one chunk frame; it returns the paragraphs and the
// size of their encoding.
func decodeChunk(z []byte) ([]corpus.Paragraph, int, error) {
	dec, err := zstdDec()
	if err != nil {
		return nil, 0, err
	}
	bp := chunkBufs.Get().(*[]byte)
	defer chunkBufs.Put(bp)
	data, err := dec.DecodeAll(z, (*bp)[:0])
	if err != nil {
		return nil, 0, err
	}
	*bp = data
	var ps []corpus.Paragraph
	// gob copies what it decodes: data is reused.
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&ps); err != nil {
		return nil, 0, err
	}
	r := corpus.Report{Paragraphs: ps}
	compact(&r)
	return r.Paragraphs, len(data), nil
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
	h, err := decodeHead(path, data[start:base], base)
	if err != nil {
		return nil, 0, err
	}
	r := h.Meta
	r.Paragraphs = make([]corpus.Paragraph, 0, h.Paragraphs)
	size := 0
	for c := range h.Ends {
		off, n := h.chunkSpan(c)
		if off+n > int64(len(data)) {
			return nil, 0, fmt.Errorf("%s: chunk %d: %w", path, c, io.ErrUnexpectedEOF)
		}
		ps, sz, err := decodeChunk(data[off : off+n])
		if err != nil {
			return nil, 0, fmt.Errorf("%s: chunk %d: %w", path, c, err)
		}
		r.Paragraphs = append(r.Paragraphs, ps...)
		size += sz
	}
	return &r, size, nil
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
	seq, ok := seqFromID(id)
	if !ok || id != rid+"#p"+strconv.Itoa(seq) || seq > h.Paragraphs {
		return nil, nil, true, fmt.Errorf("index: paragraph %q: %w", id, fs.ErrNotExist)
	}
	key := cacheKey{rid, partParagraph - seq}
	if v := ix.cache.get(key); v != nil {
		return &h.Meta, v.(*corpus.Paragraph), true, nil
	}
	k := h.chunkOf(seq - 1)
	ps, size, err := h.readChunk(k)
	if err != nil {
		return nil, nil, true, fmt.Errorf("index: load report %q: %w", rid, err)
	}
	p := ix.cacheParagraph(h, rid, k, seq, ps, size)
	if p == nil {
		return nil, nil, true, fmt.Errorf("index: paragraph %q: corrupt chunk %d of %s", id, k, h.path)
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
