package index

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govbot/govbot/corpus"
)

// Layout of the generations in a data directory (see the package doc).
const (
	currentFile = "current"
	lockFile    = ".update.lock"
	genPrefix   = "gen-"
	// mergeSegmentsAbove is how many segments a generation may keep at
	// Commit before they are merged into one: readers open generations
	// read-only, so scorch never merges them in the background.
	mergeSegmentsAbove = 8
)

// ErrIncomplete is returned by Open when the data directory holds
// generations but none was ever made current: a first build is running or
// was killed. Unlike ErrNoIndex, it is not a reason to fall back to another
// corpus.
var ErrIncomplete = errors.New("index: no complete index yet (a first build is running or was interrupted: run `govbot index` again if none is running)")

// RefreshInterval is how often, at most, an Index opened from a data
// directory checks which generation is current.
var RefreshInterval = time.Second

// updateLockWait is how often NewBuilder tries the update lock again while
// another update holds it.
const updateLockWait = 50 * time.Millisecond

// live is an Index's current generation and how it follows the data
// directory.
type live struct {
	root string // the data directory; "" for an in-memory index
	opts Options
	cur  atomic.Pointer[state]

	wmu        sync.Mutex // serialises Add and Remove through this Index
	smu        sync.Mutex // serialises switching generations
	nextCheck  atomic.Int64
	refreshing atomic.Bool
	closed     atomic.Bool

	hmu    sync.Mutex
	hooks  []hook
	nextID int
}

// hook is a function registered with OnChange.
type hook struct {
	id int
	f  func()
}

func newIndex(root string, s *state, opts Options) *Index {
	ix := &Index{live{root: root, opts: opts}}
	ix.cur.Store(s)
	ix.nextCheck.Store(time.Now().Add(RefreshInterval).UnixNano())
	return ix
}

// acquire returns the current generation, held until its release.
func (ix *Index) acquire() *state {
	if ix.root != "" {
		ix.maybeRefresh()
	}
	for {
		s := ix.cur.Load()
		if s.tryAcquire() {
			return s
		}
		if ix.closed.Load() {
			s.refs.Add(1) // a closed index: calls fail in bleve
			return s
		}
	}
}

func (s *state) tryAcquire() bool {
	for {
		n := s.refs.Load()
		if n <= 0 {
			return false
		}
		if s.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// release lets go of s; the last holder closes it.
func (s *state) release() {
	if s.refs.Add(-1) == 0 {
		s.close()
	}
}

// Close releases the index.
func (ix *Index) Close() error {
	if ix.closed.Swap(true) {
		return nil
	}
	s := ix.cur.Load()
	if s.refs.Add(-1) == 0 {
		return s.close()
	}
	return nil // the last call in flight closes it
}

// OnChange registers f to be called after the index's reports changed:
// after Add or Remove through it changed something (before they return), and
// after it switched to a generation another process built. Answer engines
// refresh what they derived from the catalog. The returned function
// unregisters f.
func (ix *Index) OnChange(f func()) (stop func()) {
	ix.hmu.Lock()
	defer ix.hmu.Unlock()
	ix.nextID++
	id := ix.nextID
	ix.hooks = append(ix.hooks, hook{id, f})
	return func() {
		ix.hmu.Lock()
		defer ix.hmu.Unlock()
		ix.hooks = slices.DeleteFunc(ix.hooks, func(h hook) bool { return h.id == id })
	}
}

// changed calls the functions registered with OnChange.
func (ix *Index) changed() {
	ix.hmu.Lock()
	hooks := slices.Clone(ix.hooks)
	ix.hmu.Unlock()
	for _, h := range hooks {
		h.f()
	}
}

// maybeRefresh starts a Refresh in the background when RefreshInterval has
// passed since the last check.
func (ix *Index) maybeRefresh() {
	now := time.Now().UnixNano()
	if now < ix.nextCheck.Load() || ix.closed.Load() || !ix.refreshing.CompareAndSwap(false, true) {
		return
	}
	ix.nextCheck.Store(now + int64(RefreshInterval))
	go func() {
		defer ix.refreshing.Store(false)
		_, _ = ix.Refresh()
	}()
}

// Refresh switches the index to its data directory's current generation if
// that changed, and reports whether it did. Calls in flight finish on the
// generation they started on. An in-memory index never changes.
func (ix *Index) Refresh() (bool, error) {
	if ix.root == "" || ix.closed.Load() {
		return false, nil
	}
	gdir, gen, err := resolve(ix.root)
	if err != nil {
		return false, err
	}
	return ix.switchTo(gdir, gen)
}

// switchTo makes generation gen (in gdir) current unless it is already.
func (ix *Index) switchTo(gdir, gen string) (bool, error) {
	ix.smu.Lock()
	defer ix.smu.Unlock()
	old := ix.cur.Load()
	if old.gen == gen && old.dir == gdir {
		return false, nil
	}
	s, err := openGen(gdir, gen, ix.opts)
	if err != nil {
		return false, err
	}
	if ix.closed.Load() {
		s.close()
		return false, nil
	}
	ix.cur.Store(s)
	old.release()
	ix.changed()
	return true, nil
}

// Generation returns the name of the generation the index reads ("" for an
// in-memory index or a data directory written before generations).
func (ix *Index) Generation() string { return ix.cur.Load().gen }

func (s *state) close() error {
	var err error
	s.closeOnce.Do(func() {
		if cerr := s.bi.Close(); cerr != nil {
			err = fmt.Errorf("index: close: %w", cerr)
		}
	})
	return err
}

// Open opens the existing index in data directory dir. It reads only the
// catalog list, not the report files nor the per-report catalog entries, so
// it is fast. It returns an error wrapping ErrNoIndex if dir holds no index.
func Open(dir string) (*Index, error) { return OpenWith(dir, Options{}) }

// OpenWith is Open with options (the cache bounds; the analyzer is the
// index's own).
func OpenWith(dir string, opts Options) (*Index, error) {
	// Whoever opens an index analyses text next (a question, reports):
	// the dictionary loads on another core while the catalog is read and
	// bleve opens (over 10,000 reports they take as long as it does).
	go LoadDictionary()
	var lastErr error
	for range 3 {
		gdir, gen, err := resolve(dir)
		if err != nil {
			return nil, err
		}
		s, err := openGen(gdir, gen, opts)
		if err == nil {
			return newIndex(dir, s, opts), nil
		}
		// An update may have made another generation current and
		// removed this one meanwhile: look again.
		lastErr = err
		if g, _, rerr := resolve(dir); rerr != nil || g == gdir {
			return nil, err
		}
	}
	return nil, lastErr
}

// CurrentDir returns the directory of the current generation of the data
// directory dir (dir itself for one written before generations).
func CurrentDir(dir string) (string, error) {
	gdir, _, err := resolve(dir)
	return gdir, err
}

// resolve finds the current generation of the data directory dir.
func resolve(dir string) (gdir, gen string, err error) {
	data, err := os.ReadFile(filepath.Join(dir, currentFile))
	switch {
	case err == nil:
		gen = strings.TrimSpace(string(data))
		if !validGen(gen) {
			return "", "", fmt.Errorf("index: %s: %q is not a generation: remove the file and build the index again", filepath.Join(dir, currentFile), gen)
		}
		return filepath.Join(dir, gen), gen, nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", "", fmt.Errorf("index: open %s: %w", dir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, bleveDir, "index_meta.json")); err == nil {
		return dir, "", nil // written before generations
	}
	if gens, _ := generations(dir); len(gens) > 0 {
		return "", "", fmt.Errorf("index: open %s: %w", dir, ErrIncomplete)
	}
	return "", "", fmt.Errorf("index: open %s: %w", dir, ErrNoIndex)
}

func validGen(name string) bool {
	n, ok := strings.CutPrefix(name, genPrefix)
	if !ok || n == "" {
		return false
	}
	_, err := strconv.ParseUint(n, 10, 64)
	return err == nil
}

// generations lists the generation directories in dir, oldest first.
func generations(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var gens []string
	for _, e := range ents {
		if e.IsDir() && validGen(e.Name()) {
			gens = append(gens, e.Name())
		}
	}
	sort.Slice(gens, func(i, j int) bool { return genNumber(gens[i]) < genNumber(gens[j]) })
	return gens, nil
}

func genNumber(name string) uint64 {
	n, _ := strconv.ParseUint(strings.TrimPrefix(name, genPrefix), 10, 64)
	return n
}

// Builder builds a new generation of the index in a data directory: a copy
// of the current one (its files shared through hard links), to which Add
// and Remove apply, made current by Commit. Until then readers see the
// current generation, and a crash leaves it current. One Builder at a time
// holds a data directory, across processes.
type Builder struct {
	root   string
	lock   *os.File
	s      *state
	base   string // the generation built upon; "" for none or an old layout
	legacy bool   // the base is the data directory itself (old layout)
	start  time.Time
	// changed is set once the new generation differs from its base (or
	// there is no base): a Commit of an unchanged copy keeps the current
	// generation instead.
	changed bool
}

// NewBuilder starts a new generation of the index in dir, waiting (until
// ctx is done) while another update of dir, in this process or another,
// runs. opts apply when dir holds no index yet.
func NewBuilder(ctx context.Context, dir string, opts Options) (*Builder, error) {
	start := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	lock, err := waitLock(ctx, filepath.Join(dir, lockFile))
	if err != nil {
		return nil, err
	}
	b := &Builder{root: dir, lock: lock, start: start}
	gdir, base, err := resolve(dir)
	hasBase := err == nil
	if err != nil && !errors.Is(err, ErrNoIndex) && !errors.Is(err, ErrIncomplete) {
		b.unlock()
		return nil, err
	}
	b.base, b.legacy = base, hasBase && base == ""
	name, err := nextGen(dir)
	if err != nil {
		b.unlock()
		return nil, err
	}
	ndir := filepath.Join(dir, name)
	if err := os.RemoveAll(ndir); err != nil {
		b.unlock()
		return nil, fmt.Errorf("index: create %s: %w", ndir, err)
	}
	if hasBase {
		if err = cloneGen(gdir, ndir); err == nil {
			b.s, err = openGenWritable(ndir, name, opts)
		}
	} else {
		b.s, err = create(ndir, name, opts)
	}
	if err != nil {
		os.RemoveAll(ndir)
		b.unlock()
		return nil, err
	}
	b.s.building = true
	b.changed = !hasBase
	return b, nil
}

// waitLock takes the update lock of a data directory, waiting while
// another holds it.
func waitLock(ctx context.Context, path string) (*os.File, error) {
	for {
		f, err := tryLock(path)
		if !errors.Is(err, errLocked) {
			return f, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("index: wait for another update of %s: %w", filepath.Dir(path), ctx.Err())
		case <-time.After(updateLockWait):
		}
	}
}

func (b *Builder) unlock() {
	if b.lock != nil {
		b.lock.Close()
		b.lock = nil
	}
}

// nextGen returns the name of a generation newer than every one in dir.
func nextGen(dir string) (string, error) {
	gens, err := generations(dir)
	if err != nil {
		return "", fmt.Errorf("index: list generations in %s: %w", dir, err)
	}
	var n uint64
	if len(gens) > 0 {
		n = genNumber(gens[len(gens)-1])
	}
	return fmt.Sprintf("%s%06d", genPrefix, n+1), nil
}

// Add adds or refreshes reports in the new generation, as Update does. It
// may be called many times: a large corpus is streamed through it a part
// at a time.
func (b *Builder) Add(ctx context.Context, reports ...*corpus.Report) (UpdateStats, error) {
	st, err := b.s.add(ctx, reports)
	if st.Added+st.Updated > 0 {
		b.changed = true
	}
	return st, err
}

// Remove removes reports from the new generation.
func (b *Builder) Remove(ctx context.Context, reportIDs ...string) error {
	b.s.mu.RLock()
	for _, id := range reportIDs {
		if b.s.entries[id] != nil {
			b.changed = true
		}
	}
	b.s.mu.RUnlock()
	return b.s.remove(ctx, reportIDs)
}

// Generation returns the new generation's name.
func (b *Builder) Generation() string { return b.s.gen }

// Commit merges the new generation's segments, closes it, makes it current
// and removes the generations older than the one it replaced (kept for
// readers that have not switched yet). A generation that changed nothing
// is dropped and the current one stays. UpdateStats.Elapsed is the time
// since NewBuilder.
func (b *Builder) Commit(ctx context.Context) (UpdateStats, error) {
	s := b.s
	if !b.changed {
		b.Abort()
		return UpdateStats{Elapsed: time.Since(b.start)}, nil
	}
	if s.batches > 1 || countSegments(s.dir) > mergeSegmentsAbove {
		s.mergeSegments(ctx)
	}
	if err := s.close(); err != nil {
		b.Abort()
		return UpdateStats{}, err
	}
	for _, d := range []string{filepath.Join(s.dir, bleveDir, "store"), filepath.Join(s.dir, bleveDir), filepath.Join(s.dir, catalogDir), s.dir} {
		if err := syncDir(d); err != nil {
			b.Abort()
			return UpdateStats{}, err
		}
	}
	dropPageCache(filepath.Join(s.dir, bleveDir, "store"))
	if testHookBeforeSwitch != nil {
		testHookBeforeSwitch()
	}
	tmp, err := writeTemp(b.root, currentFile, []byte(s.gen+"\n"))
	if err == nil {
		if err = os.Rename(tmp, filepath.Join(b.root, currentFile)); err != nil {
			os.Remove(tmp)
		}
	}
	if err == nil {
		err = syncDir(b.root)
	}
	if err != nil {
		b.Abort()
		return UpdateStats{}, fmt.Errorf("index: make %s current: %w", s.gen, err)
	}
	b.removeOld()
	b.unlock()
	return UpdateStats{Elapsed: time.Since(b.start)}, nil
}

// testHookBeforeSwitch, when set, runs before Commit makes the new
// generation current.
var testHookBeforeSwitch func()

// Abort drops the new generation; the current one stays.
func (b *Builder) Abort() {
	if b.s != nil {
		b.s.close()
		os.RemoveAll(b.s.dir)
	}
	b.unlock()
}

// removeOld removes every generation but the new and the one it replaced,
// and the files of the old layout once a generation replaced them.
func (b *Builder) removeOld() {
	gens, _ := generations(b.root)
	for _, g := range gens {
		if g != b.s.gen && g != b.base {
			os.RemoveAll(filepath.Join(b.root, g))
		}
	}
	if !b.legacy {
		os.RemoveAll(filepath.Join(b.root, bleveDir))
		os.RemoveAll(filepath.Join(b.root, catalogDir))
	}
	if tmps, _ := filepath.Glob(filepath.Join(b.root, "."+currentFile+".tmp-*")); len(tmps) > 0 {
		for _, t := range tmps {
			os.Remove(t)
		}
	}
}

// cloneGen makes dst a copy of the generation in src: the files that are
// never written in place (zap segments, catalog files: replaced by rename)
// are hard-linked, the others (bleve's root.bolt and metadata) copied.
// Staged temporary files are left out.
func cloneGen(src, dst string) error {
	for _, sub := range []string{bleveDir, catalogDir} {
		from := filepath.Join(src, sub)
		err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(src, path)
			if err != nil {
				return err
			}
			to := filepath.Join(dst, rel)
			switch {
			case d.IsDir():
				return os.MkdirAll(to, 0o755)
			case !d.Type().IsRegular() || strings.Contains(d.Name(), ".tmp-"):
				return nil
			case isSegmentFile(d.Name()) || filepath.Base(filepath.Dir(path)) == catalogDir:
				if os.Link(path, to) == nil {
					return nil
				}
			}
			return copyFile(path, to)
		})
		if err != nil {
			return fmt.Errorf("index: copy generation %s to %s: %w", src, dst, err)
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// Add adds or refreshes reports, as Update does: an in-memory index
// directly, an index opened from a data directory through a new generation
// that it then switches to. When reports changed, the functions registered
// with OnChange have run before it returns, so that whatever follows the
// index (an answer engine) sees the new reports.
func (ix *Index) Add(ctx context.Context, reports ...*corpus.Report) (UpdateStats, error) {
	if ix.root == "" {
		s := ix.acquire()
		st, err := s.add(ctx, reports)
		s.release()
		if st.Added+st.Updated > 0 {
			ix.changed()
		}
		return st, err
	}
	var st UpdateStats
	err := ix.build(ctx, func(b *Builder) error {
		var err error
		st, err = b.Add(ctx, reports...)
		return err
	}, &st)
	return st, err
}

// Remove removes the given reports from the index and catalog, as Add adds
// them (OnChange's functions included). Unknown IDs are ignored.
func (ix *Index) Remove(ctx context.Context, ids ...string) error {
	if ix.root == "" {
		s := ix.acquire()
		err := s.remove(ctx, ids)
		s.release()
		if err == nil {
			ix.changed()
		}
		return err
	}
	return ix.build(ctx, func(b *Builder) error { return b.Remove(ctx, ids...) }, nil)
}

// build runs change in a new generation of the index's data directory,
// commits it and switches to it; st, when not nil, gets the total time.
func (ix *Index) build(ctx context.Context, change func(*Builder) error, st *UpdateStats) error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	opts := ix.opts
	opts.Analyzer = ix.cur.Load().analyzer
	b, err := NewBuilder(ctx, ix.root, opts)
	if err != nil {
		return err
	}
	if err := change(b); err != nil {
		b.Abort()
		return err
	}
	gen, gdir, changed := b.s.gen, b.s.dir, b.changed
	cst, err := b.Commit(ctx)
	if err != nil {
		return err
	}
	if st != nil {
		st.Elapsed = cst.Elapsed
	}
	if !changed {
		return nil
	}
	_, err = ix.switchTo(gdir, gen)
	return err
}

// st returns the current generation without holding it (tests).
func (ix *Index) st() *state { return ix.cur.Load() }
