package answer

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/govbot/govbot/corpus"
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
				if got, want := indexSub(s, c), strings.Index(s, c); got != want {
					t.Fatalf("indexSub(%q, %q) = %v, want %v", s, c, got, want)
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
// character included) and on random bytes rich in the marks' bytes, and
// checks textSigU there.
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
		// textSigU is the signature of both.
		if got, want := textSigU(s), textSig(s)|textSig(unquote(s)); got != want {
			t.Fatalf("textSigU(%q) = %x, want %x", s, got, want)
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

// TestUnquoteSpan checks that unquoteSpan with quoteMarkOffsets gives
// unquote's text on every span between characters (as a decoder reads
// them, bytes that are not UTF-8 included) of texts with and without marks.
func TestUnquoteSpan(t *testing.T) {
	texts := []string{
		"全面落实“三个规定”，出台《房县行政执法监督办法》。“”",
		"坚持「依法行政」‘一件事’、\"双随机\"。一下‐—…‰\"\"", "\xe2\x80\x9c", "\xe4\xe2\x80\x9d\xe2\x80\x9d\"", "\x80\x9c",
		"地区生产总值增长5.2%，城镇新增就业1256万人。", "",
	}
	for _, s := range texts {
		marks := quoteMarkOffsets(s)
		removed := 0
		for _, m := range marks {
			if s[m] == '"' {
				removed++
			} else {
				removed += 3
			}
		}
		if removed != len(s)-len(unquote(s)) {
			t.Fatalf("quoteMarkOffsets(%q) = %v: %d bytes, unquote drops %d", s, marks, removed, len(s)-len(unquote(s)))
		}
		var starts []int
		for i := range s {
			starts = append(starts, i)
		}
		starts = append(starts, len(s))
		for _, i := range starts {
			for _, j := range starts {
				if j < i {
					continue
				}
				if got, want := unquoteSpan(s, i, j, marks), unquote(s[i:j]); got != want {
					t.Fatalf("unquoteSpan(%q, %d, %d) = %q, want %q", s, i, j, got, want)
				}
			}
		}
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

// TestSignatures checks that a needle a text holds has no bit its rune
// signatures (64- and 256-bit) lack, for every piece (up to 12 bytes, cut
// anywhere) of the paragraphs, sentences, sections, and figures' clauses
// and subjects of the sample report, as written and unquoted, and of
// texts with bytes that are not UTF-8; and that what a paragraph, a
// sentence and a figure are scored with gives with the signatures the
// paragraph cache keeps what it gives without.
func TestSignatures(t *testing.T) {
	e, r := sampleEngine(t)
	texts := []string{"\xe4\xb8", "\xe4\xe4\xb8\xad\xe2\x80\x9c\xb8\xad", "中\xb8\xad文", "“八五”普法\xff", "\xef\xbf\xbd中"}
	type fig struct {
		para *corpus.Paragraph
		ff   *figureFacts
		f    *corpus.Figure
	}
	type sentence struct {
		text, section   string
		sig, sectionSig uint64
	}
	var figs []fig
	var sentences []sentence
	var paras []*corpus.Paragraph
	for i := range r.Paragraphs {
		para := &r.Paragraphs[i]
		pf := e.paras.facts(r, para)
		paras = append(paras, para)
		w, u := wideTextSig(para.Text), wideTextSig(unquote(para.Text))
		if pf.wide != (wideSig{w[0] | u[0], w[1] | u[1], w[2] | u[2], w[3] | u[3]}) {
			t.Fatalf("%s: wide signature kept is not that of the paragraph", para.ID)
		}
		texts = append(texts, para.Text, unquote(para.Text))
		if pf.sectionSig != textSig(pf.sectionU) {
			t.Fatalf("%s: section signature kept is not that of %q", para.ID, pf.sectionU)
		}
		texts = append(texts, pf.sectionU)
		for k := range pf.sentences {
			sf := &pf.sentences[k]
			s := para.Text[sf.start:sf.end]
			if sf.sig != textSig(s)|textSig(unquote(s)) {
				t.Fatalf("%s: sentence signature kept is not that of %q", para.ID, s)
			}
			texts = append(texts, s, pf.sentenceU(para, sf))
			sentences = append(sentences, sentence{pf.sentenceU(para, sf), pf.sectionU, sf.sig, pf.sectionSig})
		}
		for fi := range para.Figures {
			ff, f := &pf.figures[fi], &para.Figures[fi]
			clause, subject := para.Text[ff.clauseStart:ff.clauseEnd], ff.subject(para, f)
			if ff.clauseSig != textSig(clause)|textSig(unquote(clause)) || ff.subjectSig != textSig(subject)|textSig(unquote(subject)) {
				t.Fatalf("%s: figure %s signatures kept are not those of its clause and subject", para.ID, f.Text)
			}
			texts = append(texts, clause, unquote(clause), subject, unquote(subject))
			figs = append(figs, fig{para, ff, f})
		}
	}
	for _, s := range texts {
		sig, wide := textSig(s), wideTextSig(s)
		for i := 0; i < len(s); i++ {
			for j := i + 1; j <= len(s) && j <= i+12; j++ {
				if n := s[i:j]; needleSig(n)&^sig != 0 || !wide.mayHold(n) {
					t.Fatalf("needle %q of %q: signature %x not within %x, or not in the wide one", n, s, needleSig(n), sig)
				}
			}
		}
	}
	skipped := 0
	for _, raw := range []string{"去年办理了多少件行政复议案件？", "网上办理率是多少", "“八五”普法有什么进展", "行政执法人员培训了多少人次", "GDP是多少", "十堰GDP是多少", "海洋生产总值"} {
		q := parseQuestion(raw, e.dir)
		terms := questionTerms(e.ix, q.content)
		topic := topicTerms(terms)
		bigrams := hanBigrams(q.phrase)
		for _, para := range paras {
			pf := e.paras.facts(r, para)
			pieces := []string{pf.textU(para), pf.sectionU}
			for _, tm := range terms {
				if a, b := presentWide(tm, pieces, []uint64{^uint64(0), pf.sectionSig}, &pf.wide), present(tm, pieces...); a != b {
					t.Errorf("%s: presentWide(%v, %s) = %v, present %v", raw, tm.alts, para.ID, a, b)
				}
			}
			if a, b := withinWide(terms, pieces, []uint64{^uint64(0), pf.sectionSig}, &pf.wide), within(terms, pieces...); !reflect.DeepEqual(a, b) {
				t.Errorf("%s: withinWide(%s) = %v, within %v", raw, para.ID, a, b)
			}
		}
		for _, s := range sentences {
			for _, tm := range terms {
				aS, aN := presentNear(tm, s.text, s.section, s.sig, s.sectionSig)
				if bS, bN := presentNear(tm, s.text, s.section, ^uint64(0), ^uint64(0)); aS != bS || aN != bN {
					t.Errorf("%s: presentNear(%v, %q, %q) with signatures %v, %v; without %v, %v", raw, tm.alts, s.text, s.section, aS, aN, bS, bN)
				}
			}
		}
		for _, g := range figs {
			clause, ctx := g.para.Text[g.ff.clauseStart:g.ff.clauseEnd], g.ff.subject(g.para, g.f)
			pieces, sigs := []string{unquote(clause), unquote(ctx)}, []uint64{g.ff.clauseSig, g.ff.subjectSig}
			for _, tm := range terms {
				if a, b := presentSig(tm, pieces, sigs), present(tm, pieces...); a != b {
					t.Errorf("%s: presentSig(%v, %q) = %v, present %v", raw, tm.alts, pieces, a, b)
				}
				for _, a := range tm.alts {
					if needleSig(a)&^g.ff.clauseSig != 0 {
						skipped++
					}
				}
			}
			if a, b := coverageSig(terms, pieces[1:], sigs[1:]), coverageU(terms, pieces[1]); a != b {
				t.Errorf("%s: coverageSig(%q) = %v, coverageU %v", raw, pieces[1], a, b)
			}
			a1, a2 := topicCoverages(terms, len(topic) < len(terms), pieces, sigs)
			if b1, b2 := topicCoverages(terms, len(topic) < len(terms), pieces, nil); a1 != b1 || a2 != b2 {
				t.Errorf("%s: topicCoverages(%q) with signatures %v, %v; without %v, %v", raw, pieces, a1, a2, b1, b2)
			}
			if a, b := precision(terms, pieces[1], sigs[1]), precision(terms, pieces[1], ^uint64(0)); a != b {
				t.Errorf("%s: precision(%q) with signature %v, without %v", raw, pieces[1], a, b)
			}
			if a, b := bigramOverlap(bigrams, []string{clause, ctx}, sigs), bigramOverlap(bigrams, []string{clause, ctx}, nil); a != b {
				t.Errorf("%s: bigramOverlap(%q, %q) with signatures %v, without %v", raw, clause, ctx, a, b)
			}
		}
	}
	if skipped == 0 {
		t.Error("the signatures ruled out no form: the test shows nothing")
	}
}
