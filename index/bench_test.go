package index

import (
	"context"
	"testing"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/corpus/sample"
)

func BenchmarkCut(b *testing.B) {
	text := string(sample.Fangxian)
	Segmenter() // the dictionary load is not what is measured
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
	Segmenter()
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
