package index

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/corpus/sample"
)

func BenchmarkCut(b *testing.B) {
	text := string(sample.Fangxian)
	segmenter() // the dictionary load is not what is measured
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Cut(text)
	}
}

// BenchmarkUpdateCorpus builds a fresh index of the shared corpus in a data
// directory, with govbot's analyzer and, for comparison, bleve's cjk one.
func BenchmarkUpdateCorpus(b *testing.B) {
	reports, size := sharedReports(b)
	segmenter()
	for _, an := range []string{AnalyzerName, "cjk"} {
		b.Run(an, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := UpdateWith(context.Background(), b.TempDir(), reports, Options{Analyzer: an}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	ix, err := OpenMemory([]*corpus.Report{sampleReport()})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	q := Query{Text: "2023年房县共办理行政复议案件多少件？"}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := ix.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// benchIndex opens the index of GOVBOT_BENCH_INDEX (a data directory, e.g.
// the replicated one `govbot-dev bench --work W --replicate 1000` leaves in
// W/replicated) or builds one of the shared corpus.
func benchIndex(b *testing.B, opts Options) *Index {
	b.Helper()
	dir := os.Getenv("GOVBOT_BENCH_INDEX")
	if dir == "" {
		reports, _ := sharedReports(b)
		dir = b.TempDir()
		if _, err := Update(context.Background(), dir, reports); err != nil {
			b.Fatal(err)
		}
	}
	ix, err := OpenWith(dir, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	return ix
}

// BenchmarkSearchScoped runs questions restricted to one issuer's reports
// (as the answer engine does for a question naming a place): the
// accumulator is the size of the scope, and the cached postings of frequent
// words are read range by range.
func BenchmarkSearchScoped(b *testing.B) {
	ix := benchIndex(b, Options{})
	byIssuer := map[string][]string{}
	for _, r := range ix.Reports() {
		byIssuer[r.Issuer] = append(byIssuer[r.Issuer], r.ID)
	}
	var scopes [][]string
	for _, is := range []string{"国务院", "湖北省人民政府", "北京市人民政府", "房县人民政府"} {
		if ids := byIssuer[is]; len(ids) > 0 {
			scopes = append(scopes, ids)
		}
	}
	if len(scopes) == 0 {
		b.Skip("no report of the scopes' issuers")
	}
	ctx := context.Background()
	texts := []string{"地区生产总值增长多少", "城镇新增就业多少人", "一般公共预算收入多少"}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		q := Query{Text: texts[i%len(texts)], Reports: scopes[i%len(scopes)], Size: 60}
		if _, err := ix.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkReportCache loads every report of the index in turn through a
// cache bounded at a tenth of them: the cost of a miss (read, decompress,
// decode) and of keeping the cache within its bound.
func BenchmarkReportCache(b *testing.B) {
	ix := benchIndex(b, Options{ReportCacheBytes: 1 << 20})
	reps := ix.Reports()
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := ix.Report(reps[i%len(reps)].ID); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkParagraphMiss reads a paragraph from the middle of each report
// in turn through a cache too small to keep them: the cost of an answer's
// paragraph not in the cache (its report file's head and one chunk read and
// decoded; the whole report for files written before chunks).
func BenchmarkParagraphMiss(b *testing.B) {
	ix := benchIndex(b, Options{ReportCacheBytes: 1 << 20})
	var ids []string
	for _, r := range ix.Reports() {
		if r.Paragraphs > 0 {
			ids = append(ids, r.ID+"#p"+strconv.Itoa(r.Paragraphs/2+1))
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, _, err := ix.Paragraph(ids[i%len(ids)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkParagraphs reads the paragraphs an answer reads (one from the
// middle of each of 60 reports; each op another 60, of up to 1,200
// reports) through a cache too small to keep them: one at a time with
// Paragraph, and with Paragraphs, which reads their chunks ahead on every
// core.
func BenchmarkParagraphs(b *testing.B) {
	ix := benchIndex(b, Options{ReportCacheBytes: 256 << 10})
	var groups [][]string
	var ids []string
	for _, r := range ix.Reports() {
		if r.Paragraphs == 0 {
			continue
		}
		ids = append(ids, r.ID+"#p"+strconv.Itoa(r.Paragraphs/2+1))
		if len(ids) == 60 {
			groups = append(groups, ids)
			ids = nil
			if len(groups) == 20 {
				break
			}
		}
	}
	if len(groups) == 0 {
		groups = append(groups, ids)
	}
	b.Run("one at a time", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			for _, id := range groups[i%len(groups)] {
				if _, _, err := ix.Paragraph(id); err != nil {
					b.Fatal(err)
				}
			}
			i++
		}
	})
	b.Run("ahead", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			for _, r := range ix.Paragraphs(groups[i%len(groups)]) {
				if r.Err != nil {
					b.Fatal(r.Err)
				}
			}
			i++
		}
	})
}

// BenchmarkSearchCommonWords runs unscoped questions of common words with
// the subsets the answer engine asks for (the national reports' best, the
// newest reports' best), the slowest searches over a large index: every
// posting of 政府, 工作, 发展 is added up and every matched paragraph looked
// at. Run twice over GOVBOT_BENCH_INDEX to see the postings cache warm.
func BenchmarkSearchCommonWords(b *testing.B) {
	ix := benchIndex(b, Options{})
	var national, newest []string
	latest := map[string]ReportInfo{}
	for _, r := range ix.Reports() {
		if r.Issuer == "国务院" {
			national = append(national, r.ID)
		}
		if l, ok := latest[r.Issuer]; !ok || r.Year > l.Year {
			latest[r.Issuer] = r
		}
	}
	for _, r := range latest {
		newest = append(newest, r.ID)
	}
	slices.Sort(newest)
	ctx := context.Background()
	texts := []string{"政府工作报告里关于延迟退休是怎么说的", "地区生产总值增长多少", "去年高技术制造业增加值增长了多少", "今年的主要预期目标是什么"}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		q := Query{Text: texts[i%len(texts)], Size: 60}
		if _, _, err := ix.SearchSubsets(ctx, q, Subset{Reports: newest, Size: 20}, Subset{Reports: national, Size: 30}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkCachedTerm reads a cached term of half a million postings (a
// word in every other paragraph of 10,000 replicated reports) the way an
// unscoped search does, per posting; and encodes one, as a search that
// decodes a term for the cache does.
func BenchmarkCachedTerm(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n = 500_000
	docs := make([]uint32, n)
	cls := make([]uint16, n)
	var classes []uint32
	for k := range 3000 {
		fl, _ := packFL(uint64(1+k/1000), uint64(1+k%1000))
		classes = append(classes, fl)
	}
	var doc uint32
	for i := range docs {
		doc += 1 + rng.Uint32N(3)
		docs[i] = doc
		// Most postings in a few classes (short paragraphs, frequency 1).
		cls[i] = uint16(min(int(rng.ExpFloat64()*60), len(classes)-1))
	}
	b.Run("read", func(b *testing.B) {
		t := encodeTerm(docs, cls, classes)
		var sum uint64
		for b.Loop() {
			cur := termCursor{t: t}
			for cur.next() {
				sum += cur.doc + uint64(cur.class)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/posting")
		b.ReportMetric(float64(t.size())/n, "B/posting")
		_ = sum
	})
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			encodeTerm(docs, cls, classes)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/posting")
	})
}
