package answer

import (
	"slices"
	"testing"

	"github.com/govbot/govbot/index"
)

// TestBestFirsts checks that the first stage keeps the best hits by rank,
// ties to the earlier, in the search's order.
func TestBestFirsts(t *testing.T) {
	mk := func(ranks ...float64) []firstStage {
		var fs []firstStage
		for i, r := range ranks {
			fs = append(fs, firstStage{h: index.Hit{Paragraph: string(rune('a' + i))}, rank: r})
		}
		return fs
	}
	ids := func(fs []firstStage) string {
		var b []byte
		for _, f := range fs {
			b = append(b, f.h.Paragraph...)
		}
		return string(b)
	}
	tests := []struct {
		name  string
		ranks []float64
		n     int
		want  string
	}{
		{"fewer than n", []float64{1, 3, 2}, 5, "abc"},
		{"best kept in order", []float64{1, 3, 2, 5, 0}, 3, "bcd"},
		{"ties to the earlier", []float64{2, 2, 2, 1}, 2, "ab"},
		{"none", nil, 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := mk(tt.ranks...)
			if got := ids(bestFirsts(slices.Clone(fs), tt.n)); got != tt.want {
				t.Errorf("bestFirsts(%v, %d) = %q, want %q", tt.ranks, tt.n, got, tt.want)
			}
		})
	}
}
