package index

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-ego/gse"

	"github.com/govbot/govbot/internal/sharedtest"
)

// referenceSegmenter is gse's own zh_s dictionary (LoadDictEmbed, a second
// or two and ~150 MiB) plus govbot's domain words, added as Segmenter adds
// them: what the snapshot-backed Segmenter must cut like.
var referenceSegmenter = sync.OnceValues(func() (*gse.Segmenter, error) {
	s := new(gse.Segmenter)
	s.SkipLog = true
	if err := s.LoadDictEmbed("zh_s"); err != nil {
		return nil, err
	}
	if err := addDomainWords(s); err != nil {
		return nil, err
	}
	return s, nil
})

// hanRuns returns the folded runs of Han characters of text, as analyze
// hands them to cutHan.
func hanRuns(text string) []string {
	var runs []string
	var b strings.Builder
	for _, r := range text {
		f := fold(r)
		if classify(f) == classHan {
			b.WriteRune(f)
			continue
		}
		if b.Len() > 0 {
			runs = append(runs, b.String())
			b.Reset()
		}
	}
	if b.Len() > 0 {
		runs = append(runs, b.String())
	}
	return runs
}

// refSubWords is the definition of a word's sub-words, by brute force on the
// reference dictionary: every substring of two or more characters, other
// than the whole, that is a word (frequency > 0), by start then length.
func refSubWords(ref *gse.Segmenter, word string) []string {
	rs := []rune(word)
	if len(rs) < 3 {
		return nil
	}
	var out []string
	for i := 0; i < len(rs)-1; i++ {
		for j := i + 2; j <= len(rs); j++ {
			if i == 0 && j == len(rs) {
				continue
			}
			if f, _, ok := ref.Find(string(rs[i:j])); ok && f > 0 {
				out = append(out, string(rs[i:j]))
			}
		}
	}
	return out
}

// sharedHanRuns returns the distinct Han runs of every shared report
// (headings and set phrases repeat), in file order.
func sharedHanRuns(tb testing.TB) []string {
	tb.Helper()
	dir := sharedtest.Reports(tb)
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no reports in %s (%v)", dir, err)
	}
	seen := make(map[string]bool)
	var runs []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, run := range hanRuns(string(data)) {
			if !seen[run] {
				seen[run] = true
				runs = append(runs, run)
			}
		}
	}
	return runs
}

// TestCutHanMatchesGse cuts every Han run of every line of every shared
// report with cutHan on the snapshot dictionary and with gse's own
// Cut(run, true) on LoadDictEmbed("zh_s"), both with the domain words, and
// requires the same words; each word's sub-words must be exactly the
// dictionary words inside it. A cutHan that read word lengths from the
// snapshot's shared tokens fails here.
func TestCutHanMatchesGse(t *testing.T) {
	runs := sharedHanRuns(t)
	size := 0
	for _, run := range runs {
		size += len(run)
	}
	ref, err := referenceSegmenter()
	if err != nil {
		t.Fatal(err)
	}
	fast := segmenter()

	type diff struct {
		run       string
		got, want []string
		what      string
	}
	workers := runtime.GOMAXPROCS(0)
	results := make([][]diff, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(runs); i += workers {
				run := runs[i]
				words := cutHan(fast, run)
				got := make([]string, len(words))
				at := 0
				for j, hw := range words {
					got[j] = hw.text
					if hw.start != at || hw.text != string([]rune(run)[hw.start:hw.end]) {
						results[w] = append(results[w], diff{run, []string{hw.text}, nil, "span"})
					}
					at = hw.end
					var subs []string
					for _, s := range hw.subs {
						subs = append(subs, s.text)
					}
					if want := refSubWords(ref, hw.text); !slices.Equal(subs, want) {
						results[w] = append(results[w], diff{hw.text, subs, want, "sub-words"})
					}
				}
				if want := ref.Cut(run, true); !slices.Equal(got, want) {
					results[w] = append(results[w], diff{run, got, want, "words"})
				}
			}
		}()
	}
	wg.Wait()
	n := 0
	for _, r := range results {
		for _, d := range r {
			if n++; n <= 10 {
				t.Errorf("%s of %q:\n got %q\nwant %q", d.what, d.run, d.got, d.want)
			}
		}
	}
	if n > 0 {
		t.Fatalf("%d differences over %d distinct Han runs", n, len(runs))
	}
	t.Logf("%d distinct Han runs, %.1f MB: cutHan = gse Cut(run, true)", len(runs), float64(size)/1e6)
}
