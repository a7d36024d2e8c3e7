package answer

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestContains(t *testing.T) {
	texts := []string{
		"", "粮", "粮食", "2024年全国粮食总产量达到14130亿斤，比上年增加221亿斤。",
		strings.Repeat("推进新型城镇化，常住人口城镇化率达到67%。", 5) + "优良天数比例87.2%",
		"abcabcabd", "全国城镇新增就业1256万人",
	}
	subs := []string{"", "粮", "粮食", "粮食总产量", "87.2%", "城镇化率", "就业", "业1", "abd", "abcabd", "优良天数比例87.2%", "比例8", "人。", "，"}
	for _, s := range texts {
		for _, sub := range subs {
			// Every piece of s too, at every offset (those cut inside a character included).
			cands := append([]string{}, subs...)
			for i := 0; i < len(s); i++ {
				for j := i; j <= len(s) && j <= i+20; j++ {
					cands = append(cands, s[i:j])
				}
			}
			_ = sub
			for _, c := range cands {
				if got, want := hasSub(s, c), strings.Contains(s, c); got != want {
					t.Fatalf("hasSub(%q, %q) = %v, want %v", s, c, got, want)
				}
			}
		}
	}
}

// TestHasQuoteMark compares hasQuoteMark with a rune-by-rune test on every
// piece of texts with and without marks (pieces cut inside a character
// included).
func TestHasQuoteMark(t *testing.T) {
	byRune := func(s string) bool {
		for _, r := range s {
			switch r {
			case '“', '”', '"', '‘', '’', '「', '」', '《', '》':
				return true
			}
		}
		return false
	}
	texts := []string{
		"全面落实“三个规定”，出台《房县行政执法监督办法》。",
		"坚持「依法行政」‘一件事’、\"双随机\"。一下‐—…‰", "\xe2\x80\x9c", "\xe4\xe2\x80\x9d", "\x80\x9c",
		"地区生产总值增长5.2%，城镇新增就业1256万人。",
	}
	for _, s := range texts {
		for i := 0; i <= len(s); i++ {
			for j := i; j <= len(s); j++ {
				if got, want := hasQuoteMark(s[i:j]), byRune(s[i:j]); got != want {
					t.Fatalf("hasQuoteMark(%q) = %v, want %v", s[i:j], got, want)
				}
			}
		}
	}
}

// TestUnquote compares unquote with a strings.Replacer of the marks on
// every piece of texts with and without marks (pieces cut inside a
// character included) and on random bytes rich in the marks' bytes.
func TestUnquote(t *testing.T) {
	ref := strings.NewReplacer("“", "", "”", "", "\"", "", "‘", "", "’", "", "「", "", "」", "", "《", "", "》", "")
	texts := []string{
		"全面落实“三个规定”，出台《房县行政执法监督办法》。“”",
		"坚持「依法行政」‘一件事’、\"双随机\"。一下‐—…‰\"\"", "\xe2\x80\x9c", "\xe4\xe2\x80\x9d\xe2\x80\x9d", "\x80\x9c",
		"地区生产总值增长5.2%，城镇新增就业1256万人。",
	}
	check := func(s string) {
		if got, want := unquote(s), ref.Replace(s); got != want {
			t.Fatalf("unquote(%q) = %q, want %q", s, got, want)
		}
	}
	for _, s := range texts {
		for i := 0; i <= len(s); i++ {
			for j := i; j <= len(s); j++ {
				check(s[i:j])
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte{0xe2, 0xe3, 0x80, 0x98, 0x99, 0x9c, 0x9d, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, '"', 'a', 0xe4}
	for range 20000 {
		b := make([]byte, rng.IntN(24))
		for k := range b {
			b[k] = alphabet[rng.IntN(len(alphabet))]
		}
		check(string(b))
	}
}

func BenchmarkContains(b *testing.B) {
	text := strings.Repeat("推进新型城镇化，常住人口城镇化率达到67%。全国城镇新增就业1256万人，粮食产量达到1.4万亿斤。", 3)
	subs := []string{"粮食总产量", "优良天数", "比例", "城镇化率", "增长", "吨"}
	b.Run("std", func(b *testing.B) {
		for b.Loop() {
			for _, s := range subs {
				strings.Contains(text, s)
			}
		}
	})
	b.Run("hasSub", func(b *testing.B) {
		for b.Loop() {
			for _, s := range subs {
				hasSub(text, s)
			}
		}
	})
}
