package zhdict

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-ego/gse"

	"github.com/govbot/govbot/index/zhdict/internal/snap"
	"github.com/govbot/govbot/internal/sharedtest"
)

// reference loads gse's own zh_s dictionary once per test binary (a second
// or two); tests that change it load their own.
var reference = sync.OnceValues(snap.Reference)

func mustReference(t testing.TB) *gse.Segmenter {
	t.Helper()
	ref, err := reference()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func mustLoad(t testing.TB) *gse.Segmenter {
	t.Helper()
	seg, err := LoadSegmenter()
	if err != nil {
		t.Fatal(err)
	}
	return seg
}

func TestFastPath(t *testing.T) {
	if !snap.FastPath() {
		t.Fatal("gse's or cedar's memory layout no longer matches index/zhdict/internal/snap/layout.go: " +
			"the snapshot loads through the slow exported API; update the mirrors")
	}
}

// TestSnapshotUpToDate checks that the committed zh_s.snap.zst holds what
// the generator encodes for the gse version in go.mod (the decompressed
// bytes are compared, so that a new zstd encoder is not a stale snapshot).
func TestSnapshotUpToDate(t *testing.T) {
	want, err := snap.Encode(mustReference(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal([]byte(got), want) {
		t.Fatalf("zh_s.snap.zst (%d bytes decompressed) is stale: the generator encodes %d bytes; run go generate ./index/zhdict", len(got), len(want))
	}
}

// paragraphs returns every non-empty line of every shared report.
func paragraphs(t *testing.T) (paras []string, size int) {
	dir := sharedtest.Reports(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no reports in %s (%v)", dir, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				paras = append(paras, line)
				size += len(line)
			}
		}
	}
	return paras, size
}

// compareCuts fails t for the first few paragraphs whose Cut(p, true) or
// CutSearch(p, true) differ between got and want; it returns how many did.
// It spreads the paragraphs over GOMAXPROCS goroutines (gse segmenters are
// safe for concurrent cutting), as segmenting 6.7 MB four times takes a while.
func compareCuts(t *testing.T, got, want *gse.Segmenter, paras []string) int {
	t.Helper()
	type diff struct {
		mode, para  string
		got, wanted []string
	}
	workers := runtime.GOMAXPROCS(0)
	results := make([][]diff, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(paras); i += workers {
				p := paras[i]
				if g, x := got.Cut(p, true), want.Cut(p, true); !slices.Equal(g, x) {
					results[w] = append(results[w], diff{"Cut", p, g, x})
				}
				if g, x := got.CutSearch(p, true), want.CutSearch(p, true); !slices.Equal(g, x) {
					results[w] = append(results[w], diff{"CutSearch", p, g, x})
				}
			}
		}()
	}
	wg.Wait()
	diffs := 0
	for _, r := range results {
		for _, d := range r {
			diffs++
			if diffs <= 5 {
				t.Errorf("%s(%q, true):\n got %q\nwant %q", d.mode, d.para, d.got, d.wanted)
			}
		}
	}
	return diffs
}

// TestSameCutsSharedReports segments every paragraph of every shared report
// with the snapshot and with gse's LoadDictEmbed("zh_s"), in gse's two modes
// govbot uses, and requires identical words.
func TestSameCutsSharedReports(t *testing.T) {
	paras, size := paragraphs(t)
	fast, ref := mustLoad(t), mustReference(t)
	if diffs := compareCuts(t, fast, ref, paras); diffs > 0 {
		t.Fatalf("%d of %d cuts differ", diffs, 2*len(paras))
	}
	t.Logf("%d paragraphs, %.1f MB: Cut and CutSearch identical", len(paras), float64(size)/1e6)
}

// domainWords reads govbot's domain word list (index/dict/domain.txt) as
// package index does: "word [freq [pos]]", # comments.
func domainWords(t *testing.T) (words []string, freqs []float64, pos []string) {
	data, err := os.ReadFile(filepath.Join("..", "dict", "domain.txt"))
	if err != nil {
		t.Skipf("no domain word list: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		freq, p := 20000.0, "n"
		if len(f) > 1 {
			if freq, err = strconv.ParseFloat(f[1], 64); err != nil {
				t.Fatal(err)
			}
		}
		if len(f) > 2 {
			p = f[2]
		}
		words, freqs, pos = append(words, strings.ToLower(f[0])), append(freqs, freq), append(pos, p)
	}
	return words, freqs, pos
}

// addWords applies the same additions to seg as package index does with its
// domain words: new words are added, known ones re-added (removed from the
// trie, then inserted again) when the new frequency is higher.
func addWords(t *testing.T, seg *gse.Segmenter, words []string, freqs []float64, pos []string) {
	t.Helper()
	for i, w := range words {
		if old, _, ok := seg.Find(w); ok && old > 0 {
			if old >= freqs[i] {
				continue
			}
			if err := seg.ReAddToken(w, freqs[i], pos[i]); err != nil {
				t.Fatalf("ReAddToken(%q): %v", w, err)
			}
			continue
		}
		if err := seg.AddToken(w, freqs[i], pos[i]); err != nil {
			t.Fatalf("AddToken(%q): %v", w, err)
		}
	}
}

// TestAddedWords checks that the snapshot's trie stays a valid cedar trie
// when words are added and re-added on top, as package index does with its
// domain words: govbot's domain list, then 30,000 random words and
// re-additions that force cedar to relocate nodes and take new blocks.
func TestAddedWords(t *testing.T) {
	fast := mustLoad(t)
	ref, err := snap.Reference()
	if err != nil {
		t.Fatal(err)
	}
	words, freqs, pos := domainWords(t)
	addWords(t, fast, words, freqs, pos)
	addWords(t, ref, words, freqs, pos)

	// Random words over the 300 commonest characters of the domain list
	// and a few ASCII letters: many share prefixes with dictionary words.
	var alphabet []rune
	seen := map[rune]bool{}
	for _, w := range words {
		for _, r := range w {
			if !seen[r] && len(alphabet) < 300 {
				seen[r] = true
				alphabet = append(alphabet, r)
			}
		}
	}
	alphabet = append(alphabet, 'a', 'b', 'x', '5')
	rng := rand.New(rand.NewPCG(1, 2))
	var rw []string
	var rf []float64
	var rp []string
	for range 30000 {
		n := 2 + rng.IntN(5)
		var b strings.Builder
		for range n {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		rw = append(rw, b.String())
		rf = append(rf, float64(1+rng.IntN(100000)))
		rp = append(rp, "n")
	}
	addWords(t, fast, rw, rf, rp)
	addWords(t, ref, rw, rf, rp)
	if f, r := fast.Dict.TotalFreq(), ref.Dict.TotalFreq(); f != r {
		t.Fatalf("total frequency %v, want %v", f, r)
	}
	for _, w := range slices.Concat(words, rw) {
		ff, fp, fok := fast.Find(w)
		rf, rp, rok := ref.Find(w)
		if ff != rf || fp != rp || fok != rok {
			t.Fatalf("Find(%q) = %v %q %v, want %v %q %v", w, ff, fp, fok, rf, rp, rok)
		}
	}
	// Every dictionary word is still found with its frequency.
	for i := range ref.Dict.Tokens[:352275] {
		w := ref.Dict.Tokens[i].Text()
		ff, fp, fok := fast.Find(w)
		rf, rp, rok := ref.Find(w)
		if ff != rf || fp != rp || fok != rok {
			t.Fatalf("Find(%q) = %v %q %v, want %v %q %v", w, ff, fp, fok, rf, rp, rok)
		}
	}

	var text strings.Builder
	for i := 0; i < len(rw); i += 3 {
		text.WriteString(rw[i])
		if i%7 == 0 {
			text.WriteString("，发展经济，")
		}
	}
	paras := []string{text.String()}
	if dir, ok := sharedtest.Lookup(); ok {
		data, err := os.ReadFile(filepath.Join(dir, "reports", "2024-state-council-gwr.txt"))
		if err == nil {
			paras = append(paras, strings.Split(string(data), "\n")...)
		}
	}
	if diffs := compareCuts(t, fast, ref, paras); diffs > 0 {
		t.Fatalf("%d cuts differ after adding words", diffs)
	}
}

func TestLoadRefusesUsedSegmenter(t *testing.T) {
	seg := mustLoad(t)
	if err := Load(seg); err == nil {
		t.Error("Load on a segmenter with a dictionary: no error")
	}
	if err := Load(&gse.Segmenter{AlphaNum: true}); err == nil {
		t.Error("Load on an AlphaNum segmenter: no error")
	}
}

func TestCutExample(t *testing.T) {
	seg := mustLoad(t)
	got := seg.Cut("全国粮食产量达到6.5亿吨，城镇新增就业1200万人以上", true)
	want := []string{"全国", "粮食产量", "达到", "6.5", "亿吨", "，", "城镇", "新增", "就业", "1200", "万人", "以上"}
	if !slices.Equal(got, want) {
		t.Errorf("Cut = %q, want %q", got, want)
	}
}

// heapAfter returns the live heap, in MiB, after f, keeping f's result
// alive until measured.
func heapAfter(f func() any) float64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	v := f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
}

// BenchmarkLoad measures LoadSegmenter; heap-MiB is the live heap it leaves.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadSegmenter(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(heapAfter(func() any { return mustLoad(b) }), "heap-MiB")
}

// BenchmarkLoadDictEmbed measures gse's own loader for comparison.
func BenchmarkLoadDictEmbed(b *testing.B) {
	load := func() *gse.Segmenter {
		seg := new(gse.Segmenter)
		seg.SkipLog = true
		if err := seg.LoadDictEmbed("zh_s"); err != nil {
			b.Fatal(err)
		}
		return seg
	}
	b.ReportAllocs()
	for b.Loop() {
		load()
	}
	b.ReportMetric(heapAfter(func() any { return load() }), "heap-MiB")
}

// BenchmarkCut measures segmentation throughput (Cut with HMM, the mode
// package index uses) over the 2024 State Council report.
func BenchmarkCut(b *testing.B) {
	paras := benchParagraphs(b)
	seg := mustLoad(b)
	var n int64
	for _, p := range paras {
		n += int64(len(p))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paras {
			seg.Cut(p, true)
		}
	}
}

func benchParagraphs(b *testing.B) []string {
	dir := sharedtest.Reports(b)
	data, err := os.ReadFile(filepath.Join(dir, "2024-state-council-gwr.txt"))
	if err != nil {
		b.Fatal(err)
	}
	var paras []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			paras = append(paras, l)
		}
	}
	return paras
}

// TestWalkerMatchesFind walks every word of gse's zh_s dictionary, and every
// word's prefixes and one-rune extensions, byte by byte with a Walker and
// requires what Find says: the path exists exactly when Find's ok is true,
// and the value's token has Find's frequency.
func TestWalkerMatchesFind(t *testing.T) {
	fast, ref := mustLoad(t), mustReference(t)
	w, ok := NewWalker(fast.Dict)
	if !ok {
		t.Fatal("NewWalker: layout mismatch")
	}
	check := func(word string) {
		id, ok := w.Step(0, word)
		f, _, fok := ref.Find(word)
		if ok != fok {
			t.Fatalf("Step(%q) ok = %v, Find ok = %v", word, ok, fok)
		}
		if !ok {
			return
		}
		got := 0.0
		if v, ok := w.Value(id); ok {
			got = fast.Dict.Tokens[v].Freq()
		}
		if got != f {
			t.Fatalf("Walker frequency of %q = %v, Find = %v", word, got, f)
		}
	}
	for i := range ref.Dict.Tokens[:352275] {
		word := ref.Dict.Tokens[i].Text()
		check(word)
		rs := []rune(word)
		for j := 1; j < len(rs); j++ {
			check(string(rs[:j]))
		}
		check(word + "的")
		check(word + "x")
	}
}

// TestPrefetch checks that the dictionary Prefetch decodes is the next
// Load's, that it segments as a dictionary decoded by Load itself, and that
// the Load after it gets a dictionary of its own (words added to one do not
// show in the other).
func TestPrefetch(t *testing.T) {
	Prefetch()
	Prefetch() // a second call does nothing
	first := mustLoad(t)
	if prefetch.ch != nil {
		t.Fatal("Load did not take the prefetched dictionary")
	}
	second := mustLoad(t)
	if first.Dict == second.Dict {
		t.Fatal("two Loads share one dictionary")
	}
	const text = "全国粮食产量达到6.5亿吨，城镇新增就业1200万人以上"
	if a, b := first.Cut(text, true), second.Cut(text, true); !slices.Equal(a, b) {
		t.Errorf("prefetched Cut = %q, loaded Cut = %q", a, b)
	}
	const word = "粮食产量达到"
	if err := first.AddToken(word, 1e9, "n"); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := second.Find(word); ok {
		t.Errorf("a word added to the prefetched dictionary shows in the next Load's")
	}
}
