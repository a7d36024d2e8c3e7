package answer

import (
	"strings"
	"testing"
)

// TestMaskSectors checks that a statistic named by its bare head
// (生产总值) counts only where the text qualifies it for the whole
// economy or as the question does.
func TestMaskSectors(t *testing.T) {
	tests := []struct {
		name, ask, text string
		want            float64
	}{
		{"sector output is not GDP", "GDP", "海洋生产总值突破2万亿元", 0},
		{"per-unit energy use is not GDP", "GDP", "单位生产总值能耗下降3%", 0},
		{"province's GDP", "GDP", "全省生产总值增长5.5%", 1},
		{"regional GDP", "GDP", "地区生产总值达到6万亿元", 1},
		{"after punctuation", "GDP", "主要指标是：生产总值增长5%", 1},
		{"the sector asked", "海洋生产总值", "海洋生产总值突破2万亿元", 1},
		{"another sector than asked", "海洋生产总值", "农业生产总值增长3%", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := term{word: "GDP", alts: synonyms["GDP"], ask: tt.ask}
			tm.head = sectorHeadOf(tm.alts)
			if got := present(tm, tt.text); got != tt.want {
				t.Errorf("present(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

// TestPlaceNoted checks that a figure for a question naming no place,
// found only in a province's report, says whose it is on its first line,
// while a national figure needs no such note.
func TestPlaceNoted(t *testing.T) {
	e := fullEngine(t)
	tests := []struct {
		q, place string // place "" for a national figure
	}{
		{"研发经费投入多少", "广东省"},
		{"去年海洋生产总值多少", "广东省"},
		{"去年粮食产量多少", ""},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			a := ask(t, e, nil, tt.q)
			if a.Figure == nil || len(a.Answers) == 0 {
				t.Fatalf("want a figure, got %s", describe(a))
			}
			first, _, _ := strings.Cut(a.Reply, "\n")
			issuer := a.Answers[0].Report.Issuer
			switch {
			case tt.place == "" && issuer != nationalIssuer:
				t.Errorf("want a national figure, got %s from %s", first, issuer)
			case tt.place == "" && strings.Contains(a.Note, "省"):
				t.Errorf("national figure noted with a place: %q", first)
			case tt.place != "" && !strings.Contains(first, "（"+tt.place):
				t.Errorf("first line %q does not say %s", first, tt.place)
			}
		})
	}
}

// TestNoChangeForLevel checks that the size of a change (共增加了150万吨)
// or a figure of another kind (485家 for a money amount) is not given as
// the level asked for: the passage is shown without a figure.
func TestNoChangeForLevel(t *testing.T) {
	e := fullEngine(t)
	for _, q := range []string{"1957年钢产量多少", "甘肃去年进出口总额", "贵州去年旅游收入多少"} {
		t.Run(q, func(t *testing.T) {
			a := ask(t, e, nil, q)
			if a.Figure != nil {
				t.Errorf("want no figure, got %s", describe(a))
			}
		})
	}
}
