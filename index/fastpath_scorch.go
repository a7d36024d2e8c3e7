package index

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	bindex "github.com/blevesearch/bleve_index_api"
)

// The scorch fast paths. Searches read the postings of scorch's segments
// themselves (sumQuery) and restrict by scorch's document numbers (the
// 8-byte internal IDs, see reportDocs); a build merges a generation's
// segments through scorch's ForceMerge and waits for scorch to delete the
// merged parts, watching the store directory's zap files. An index reader
// that is not a scorch snapshot, or internal IDs that are not numbers,
// send searches through bleve's exported queries (the same hits, several
// times slower), and an index that is not scorch's keeps its batches'
// segments; both are counted as fastScorch.

// Where scorch keeps its segments: DIR/gen-N/bleve/store/*.zap.
const (
	storeDir   = "store"
	segmentExt = ".zap"
)

// scorchSnapshot returns the scorch snapshot under r, nil when r is not one.
func scorchSnapshot(r bindex.IndexReader) *scorch.IndexSnapshot {
	s, _ := r.(*scorch.IndexSnapshot)
	return s
}

// snapshotSegments returns snap's segments, the number of each one's
// first document and the number of documents they hold: the snapshot
// numbers documents segment after segment, deleted ones included (scorch's
// introducer).
func snapshotSegments(snap *scorch.IndexSnapshot) (segs []*scorch.SegmentSnapshot, firsts []uint64, total uint64) {
	segs = snap.Segments()
	firsts = make([]uint64, len(segs))
	for i, s := range segs {
		firsts[i] = total
		total += s.Segment().Count()
	}
	return segs, firsts, total
}

// fieldLengther is a posting that tells its field's length (zap's do):
// the norm bleve scores with is computed from it.
type fieldLengther interface{ NormUint64() uint64 }

// isSegmentFile reports whether name is a scorch segment file's.
func isSegmentFile(name string) bool { return strings.HasSuffix(name, segmentExt) }

// countSegments returns the number of zap segment files of the generation
// in dir.
func countSegments(dir string) int {
	segs, _ := filepath.Glob(filepath.Join(dir, bleveDir, storeDir, "*"+segmentExt))
	return len(segs)
}

// mergeSegments merges the segments that several batches left into one, as
// searching one segment is faster and the merged index smaller on disk.
// The batches are committed already: a failed merge loses nothing, and
// scorch merges in the background on the next writable open.
func (ix *state) mergeSegments(ctx context.Context) {
	adv, err := ix.bi.Advanced()
	if err != nil {
		return
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		fellBack(fastScorch)
		return
	}
	if sc.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions) != nil {
		return
	}
	// An empty batch returns once a root holding the merged segment is
	// persisted, so that closing the index now leaves it on disk, and not
	// the parts.
	_ = ix.bi.Batch(ix.bi.NewBatch())
	// scorch deletes the parts' files in the background right after;
	// closing first would leave them until the next open (twice the index
	// on disk meanwhile).
	waitOneSegment(filepath.Join(ix.dir, bleveDir, storeDir), 3*time.Second)
}

// waitOneSegment waits, at most timeout, until the scorch store directory
// dir holds a single segment file.
func waitOneSegment(dir string, timeout time.Duration) {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		segs, err := filepath.Glob(filepath.Join(dir, "*"+segmentExt))
		if err != nil || len(segs) <= 1 {
			return
		}
	}
}
