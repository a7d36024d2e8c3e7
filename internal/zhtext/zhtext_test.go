package zhtext

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/width"
)

func TestText(t *testing.T) {
	// One table for every helper: each case names the helper it checks.
	tests := []struct {
		name string
		got  func() any
		want any
	}{
		// Classes.
		{"sentence enders", func() any { return sortedRunes(SentenceEnders) }, sortedRunes("!?。！？")},
		{"clause separators", func() any { return sortedRunes(ClauseSeparators) }, sortedRunes("，,；;：:")},
		{"punctuation holds each mark once", func() any { return utf8.RuneCountInString(Punctuation) }, 12},
		{"brackets pair up", func() any { return utf8.RuneCountInString(OpeningBrackets) }, utf8.RuneCountInString(ClosingBrackets)},
		{"closers are closing brackets", func() any { return strings.Trim(SentenceClosers, ClosingBrackets) }, ""},
		{"ender full stop", func() any { return IsSentenceEnder('。') }, true},
		{"ender half-width question", func() any { return IsSentenceEnder('?') }, true},
		{"comma is no ender", func() any { return IsSentenceEnder('，') }, false},
		{"semicolon is no ender", func() any { return IsSentenceEnder('；') }, false},
		{"half-width full stop is no ender", func() any { return IsSentenceEnder('.') }, false},

		// SplitSentences.
		{"split empty", func() any { return sentences("") }, []string(nil)},
		{"split blank", func() any { return sentences(" \n ") }, []string(nil)},
		{"split no ender", func() any { return sentences("全年增长5%") }, []string{"全年增长5%"}},
		{"split enders", func() any { return sentences("增长5%。下降了！是吗？ok?好") },
			[]string{"增长5%。", "下降了！", "是吗？", "ok?", "好"}},
		{"split keeps closers", func() any { return sentences("他说“好。”然后（完。）走了。") },
			[]string{"他说“好。”", "然后（完。）", "走了。"}},
		{"split title mark is no closer", func() any { return sentences("读《报告。》完") },
			[]string{"读《报告。", "》完"}},
		{"split line breaks", func() any { return sentences("第一行\n第二行。\n\n第三行") },
			[]string{"第一行\n", "第二行。", "第三行"}},
		{"split runs of enders", func() any { return sentences("真的吗？！好。。") },
			[]string{"真的吗？", "！", "好。", "。"}},
		{"split half-width full stop", func() any { return sentences("增长2.5%.好") }, []string{"增长2.5%.好"}},

		// Clauses.
		{"clause start", func() any { return ClauseStart("一，二；三", ClauseSeparators) }, len("一，二；")},
		{"clause start none", func() any { return ClauseStart("一二三", ClauseSeparators) }, 0},
		{"clause start half-width", func() any { return ClauseStart("a,b", Commas) }, 2},
		{"clause start ignores others", func() any { return ClauseStart("一；二，三", Semicolons) }, len("一；")},
		{"clause end", func() any { return ClauseEnd("一，二；三", Semicolons) }, len("一，二")},
		{"clause end none", func() any { return ClauseEnd("一二三", ClauseSeparators) }, len("一二三")},
		{"clause end at start", func() any { return ClauseEnd("：一", Colons) }, 0},
		{"clause bounds", func() any { return ClauseBounds("甲，乙;丙", Commas+Semicolons) },
			[]int{0, len("甲，"), len("甲，乙;"), len("甲，乙;丙")}},
		{"clause bounds none", func() any { return ClauseBounds("甲乙", Commas) }, []int{0, len("甲乙")}},
		{"clause bounds trailing", func() any { return ClauseBounds("甲，", Commas) }, []int{0, len("甲，"), len("甲，")}},

		// Width folding.
		{"fold digits letters", func() any { return FoldWidthString("２０２４年ＧＤＰ增长５．２％") }, "2024年GDP增长5.2%"},
		{"fold ascii punctuation", func() any { return FoldWidthString("！（），：；？～") }, "!(),:;?~"},
		{"fold ideographic space", func() any { return FoldWidthString("一\u3000二") }, "一 二"},
		{"fold keeps cjk punctuation", func() any { return FoldWidthString("。、「」《》“”…—") }, "。、「」《》“”…—"},
		{"fold keeps kana and han", func() any { return FoldWidthString("カタカナ漢字") }, "カタカナ漢字"},
		{"fold keeps wide symbols", func() any { return FoldWidthString("￥￠⦅") }, "￥￠⦅"},
		{"fold keeps ascii", func() any { return FoldWidthString("abc 123") }, "abc 123"},
		{"digit ascii", func() any { return pair(DigitValue('7')) }, [2]any{7, true}},
		{"digit full-width", func() any { return pair(DigitValue('９')) }, [2]any{9, true}},
		{"digit han", func() any { return pair(DigitValue('九')) }, [2]any{0, false}},
		{"digit letter", func() any { return pair(DigitValue('Ａ')) }, [2]any{0, false}},
		{"is digit", func() any { return IsDigit('０') && IsDigit('0') && !IsDigit('〇') }, true},
		{"fold digits", func() any { return FoldDigits("１９９４年３月，ＧＤＰ") }, "1994年3月，ＧＤＰ"},
		{"fold digits none", func() any { return FoldDigits("一九九四年") }, "一九九四年"},
		{"fold digits edge", func() any { return FoldDigits("０") + FoldDigits("x９") }, "0x9"},
		{"fold digits neighbours", func() any { return FoldDigits("／：") }, "／："},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

// TestFoldWidthMatchesXText checks FoldWidth against golang.org/x/text/width
// on every rune it folds, and that it folds exactly the full-width ASCII
// forms and the ideographic space among the runes x/text calls full-width.
func TestFoldWidthMatchesXText(t *testing.T) {
	for r := rune(0); r <= 0xFFFF; r++ {
		p := width.LookupRune(r)
		folded := FoldWidth(r)
		switch {
		case folded != r:
			if p.Kind() != width.EastAsianFullwidth || p.Narrow() != folded {
				t.Errorf("FoldWidth(%U) = %U; x/text: kind %v, narrow %U", r, folded, p.Kind(), p.Narrow())
			}
			if utf8.RuneLen(folded) > utf8.RuneLen(r) {
				t.Errorf("FoldWidth(%U) = %U is longer in UTF-8", r, folded)
			}
		case p.Kind() == width.EastAsianFullwidth && p.Narrow() < utf8.RuneSelf:
			t.Errorf("FoldWidth(%U) keeps it; x/text narrows it to %U", r, p.Narrow())
		}
	}
}

// TestFoldDigitsMatchesFoldWidth checks the byte scan of FoldDigits against
// FoldWidth on texts with digits at every position.
func TestFoldDigitsMatchesFoldWidth(t *testing.T) {
	for _, s := range []string{"", "０", "ab０", "０ab", "一０二", "\uff0f\uff1a", "ＡＢ", "年\u3000月"} {
		want := strings.Map(func(r rune) rune {
			if IsDigit(r) {
				return FoldWidth(r)
			}
			return r
		}, s)
		if got := FoldDigits(s); got != want {
			t.Errorf("FoldDigits(%q) = %q, want %q", s, got, want)
		}
	}
}

func sentences(text string) []string {
	var out []string
	for _, r := range SplitSentences(text) {
		out = append(out, text[r[0]:r[1]])
	}
	return out
}

func sortedRunes(s string) string {
	rs := []rune(s)
	slices.Sort(rs)
	return string(rs)
}

func pair(v int, ok bool) [2]any { return [2]any{v, ok} }
