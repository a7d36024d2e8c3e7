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

func BenchmarkUpdateCorpus(b *testing.B) {
	reports, size := sharedReports(b)
	Segmenter()
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Update(context.Background(), b.TempDir(), reports); err != nil {
			b.Fatal(err)
		}
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
