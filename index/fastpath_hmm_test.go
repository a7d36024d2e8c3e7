package index

import (
	"math/rand/v2"
	"slices"
	"testing"
	"unicode/utf8"
)

// hmmWords cuts text with hmmCut into words.
func hmmWords(t *testing.T, sc *hmmScratch, text string) []string {
	t.Helper()
	lens, ok := hmmCut(sc, text, nil)
	if !ok {
		t.Fatal("hmmCut: gse's HMM model is not loaded")
	}
	var out []string
	at := 0
	for _, l := range lens {
		end := at
		for range l {
			_, w := utf8.DecodeRuneInString(text[end:])
			end += w
		}
		out = append(out, text[at:end])
		at = end
	}
	if at != len(text) {
		t.Fatalf("hmmCut(%q): lengths %v cover %d of %d bytes", text, lens, at, len(text))
	}
	return out
}

// TestHMMCutMatchesGse requires hmmCut to cut like gse's HMMCut: every Han
// run of the shared reports whole (the HMM sees only parts of them in
// analysis, but whole runs exercise it on more and longer inputs), and
// random strings of ideographs, common and rare, with characters the model
// lacks.
func TestHMMCutMatchesGse(t *testing.T) {
	s := segmenter()
	var sc hmmScratch
	check := func(run string) {
		t.Helper()
		if got, want := hmmWords(t, &sc, run), s.HMMCut(run); !slices.Equal(got, want) {
			t.Fatalf("hmmCut(%q):\n got %q\nwant %q", run, got, want)
		}
	}
	for _, run := range []string{"房", "房县", "一村一法律顾问", "〇", "㐀㐁", "𠀀𠀁𠀂", "龥龦"} {
		check(run)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	common := []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙")
	for range 2000 {
		n := 2 + rng.IntN(30)
		rs := make([]rune, n)
		for i := range rs {
			switch rng.IntN(10) {
			case 0: // anywhere in the block, often a character the model lacks
				rs[i] = rune(0x4E00 + rng.IntN(0x9FA5-0x4E00))
			case 1: // CJK Extension A, which the model lacks
				rs[i] = rune(0x3400 + rng.IntN(0x4DB5-0x3400))
			default:
				rs[i] = common[rng.IntN(len(common))]
			}
		}
		check(string(rs))
	}

	runs := sharedHanRuns(t)
	for _, run := range runs {
		check(run)
	}
	t.Logf("%d distinct runs and 2,000 random strings: hmmCut = gse HMMCut", len(runs))
}
