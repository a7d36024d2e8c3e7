package answer

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/internal/zhtext"
)

// metaKind is the report fact a meta question asks for.
type metaKind int

const (
	metaNone metaKind = iota
	metaIssuer
	metaDate
	metaTitle
	metaDocNumber
	metaIndexNumber
	metaTopic
	metaSpeaker
)

// question is what govbot understands of a user's question.
type question struct {
	raw  string
	norm string // width-folded, trimmed, without trailing punctuation
	// normAggregate and normPeriod are aggregate's and periodCue's
	// matches on norm, read for every figure and sentence of the hits.
	normAggregate, normPeriod bool
	// content is norm with question words, issuer names and years blanked out:
	// the words that say what is asked about.
	content string

	wantsNumber bool
	// counted is the noun a count question counts ("多少个乡镇" → 乡镇,
	// "乡镇数" → 乡镇), "" for none: the figure followed by it is the one
	// asked for ("直达20个乡镇3000余个终端广播").
	counted string
	// form is the figure form the question asks for beyond number and
	// unit (forms.go); formWord is what a formCount counts (张, 保障),
	// formRe finds the count in a sentence (四张), compiled once.
	form     formKind
	formWord string
	formRe   *regexp.Regexp
	// unit is the unit the question asks for ("件", "人", "元"), "" for any.
	unit string
	// percent is set when the question asks for a rate, ratio or growth.
	percent bool

	// issuers are the canonical issuer names the question names.
	issuers []string
	// unknownPlace is a place the question names that no indexed report is from.
	unknownPlace string

	// years are the explicit years named ("2024年"), in order.
	years []int
	// relative is the relative year named: -1 去年, 0 今年, +1 明年; hasRelative says whether one was.
	relative    int
	hasRelative bool
	// target is set when the question asks about goals or plans rather than results.
	target bool
	// compare is set when the question asks for several years side by side.
	compare bool
	// lastYears is N for "近N年": how many years a comparison lists.
	lastYears int

	meta metaKind
	// reportYear is the year of the report named ("2024年政府工作报告"), 0 for none.
	reportYear int
	// deictic is set when the question refers to "this report" (这份报告).
	deictic bool
	// phrase is norm without issuer names, years and question words: the
	// question's topic as written, for matching its wording verbatim.
	phrase string

	// closesNe is set when the question ended with 呢 (before courtesy):
	// a follow-up's mark ("那湖南呢").
	closesNe bool

	// place is the level of the user's own place the question refers to
	// (咱们县 "county", 省里 "province", 本地 "any"), "" for none; the
	// engine resolves it (deixis.go).
	place string
	// placeFrom says how the question's issuers were found when it did not
	// name them: "conversation", "only" (the corpus's only place of the
	// level), "topic" (the only one whose reports speak of it), "" when named.
	placeFrom string
	// placeChoices are the issuers a deixis may mean when several may.
	placeChoices []string
}

// numberCue matches the words that make a question ask for a number.
var numberCue = regexp.MustCompile(`多少|几(?:个百分点|百分点|万亿元|亿元|万元|人次|场次|公里|平方公里|公顷|千瓦|小时|[个件次项份场名家人条户所座万千百亿年天倍成批支辆台套亩吨斤部卷间张处])|几$|多大|多高|多长|多重|多快|比例|比重|占比|百分之|增速|增幅|涨幅|降幅|几何|规模|总量|总额|金额|数量|数额|人数|产量|次数|件数|个数`)

// rateCue matches questions that ask for a rate, share or growth figure.
var rateCue = regexp.MustCompile(`比例|比重|占比|百分之|增速|增幅|涨幅|降幅|百分点|增长多少|增长了多少|下降多少|下降了多少|提高多少|提高了多少|降低多少|降低了多少|提高到多少|提升到多少|上升到多少|率[^，。,]{0,3}?(多少|几)|率$`)

// questionUnits are units a question can ask for, longest first so that
// "多少人次" asks for 人次, not 人.
var questionUnits = []string{
	"个百分点", "百分点", "万亿元", "亿元", "万元", "元钱", "美元", "人次", "场次", "公里", "千米", "平方公里", "公顷", "千瓦", "小时",
	"件", "次", "个", "项", "份", "场", "名", "人", "家", "条", "户", "所", "座", "辆", "部", "支", "卷", "套", "亩", "吨", "斤", "元", "天", "年", "倍", "批", "座", "间", "张", "台", "处", "万", "亿", "钱",
}

// unitCues holds, per unit, the regexp that drops "多少件" with its unit,
// compiled once (units come from questionUnits: a few dozen) rather than
// for every question.
var unitCues sync.Map // unit -> *regexp.Regexp

func unitCueRe(unit string) *regexp.Regexp {
	if re, ok := unitCues.Load(unit); ok {
		return re.(*regexp.Regexp)
	}
	re, _ := unitCues.LoadOrStore(unit, regexp.MustCompile(`(多少|几)(万亿|亿|万|千|百)?`+regexp.QuoteMeta(unit)))
	return re.(*regexp.Regexp)
}

// unitAfter returns the unit a question asks for right after 多少/几, if any.
func unitAfter(s string) string {
	for _, cue := range []string{"多少", "几"} {
		for i := 0; ; {
			j := strings.Index(s[i:], cue)
			if j < 0 {
				break
			}
			rest := s[i+j+len(cue):]
			// "多少万人", "多少亿元": skip the magnitude, keep the base unit.
			for _, mag := range []string{"万亿", "亿", "万", "千", "百"} {
				if strings.HasPrefix(rest, mag) && len(rest) > len(mag) {
					rest = rest[len(mag):]
					break
				}
			}
			for _, u := range questionUnits {
				if strings.HasPrefix(rest, u) {
					switch u {
					case "钱", "元钱":
						return "元"
					case "万", "亿":
						return ""
					case "百分点":
						return "个百分点"
					}
					return u
				}
			}
			i += j + len(cue)
		}
	}
	return ""
}

// yearRe matches an explicit year: 2024年, １９９８年, 2023年度. Two-digit or
// Chinese-numeral years are rare in questions and ambiguous, so not matched.
var yearRe = regexp.MustCompile(`(1[89]\d\d|20\d\d)\s*年`)

// targetCue marks questions about goals and plans.
var targetCue = regexp.MustCompile(`目标|预期|预计|计划|力争|打算|安排|将要|要达到|任务`)

// compareCue marks questions asking for several years side by side.
var compareCue = regexp.MustCompile(`对比|比较|相比|分别|历年|这几年|近几年|近年来各|逐年|变化|趋势|几年来|(?:近|最近|这|过去)[两二三四五六七八2-8]年`)

// lastYearsRe reads how many years "近三年" asks for.
var lastYearsRe = regexp.MustCompile(`(?:近|最近|这|过去)([两二三四五六七八2-8])年`)

// metaCues maps questions about the report itself to the fact they ask.
var metaCues = []struct {
	re   *regexp.Regexp
	kind metaKind
}{
	// Who delivered it (作报告) before who issued it: "报告是谁作的".
	{regexp.MustCompile(`(总理|省长|市长|县长|区长|主席)(是谁|叫什么|是哪位)|(谁|哪位)(作|做)(的)?(报告|政府工作报告)?$|(谁|哪位)(作|做)(的)?(报告|政府工作报告)|谁(作|做)的|报告人|作报告的(是谁|人)`), metaSpeaker},
	{regexp.MustCompile(`发布机构|发文机关|发布单位|哪个(单位|部门|机关|政府)(发布|印发|发的|出的)|谁(发布|印发|发的|出的)|(报告|文件)(是)?(谁|哪个单位)`), metaIssuer},
	{regexp.MustCompile(`文号|发文字号`), metaDocNumber},
	{regexp.MustCompile(`索引号`), metaIndexNumber},
	{regexp.MustCompile(`主题分类`), metaTopic},
	{regexp.MustCompile(`(什么时候|何时|哪天|哪一天|几月几日|哪年)(发布|印发|公布|作的|做的|发的)|发布(时间|日期)|发文日期|成文日期`), metaDate},
	{regexp.MustCompile(`(报告|文件)(的)?(标题|题目|名称|全称)|叫什么(名字)?`), metaTitle},
}

// metaFillerRe are the words of a question about a report that do not
// name the report.
var metaFillerRe = regexp.MustCompile(`那份|这份|那个|这个|提到|讲到|说到|谈到|讲|关于|是谁|是什么|是哪|谁|哪个单位|哪个|哪家|什么时候|发布|印发|作的|做的`)

// fillerRe blanks question words and fillers from the content: they carry no
// topic and would otherwise pull in paragraphs that merely share them.
var fillerRe = regexp.MustCompile(`请问|请告诉我|告诉我|我想知道|想知道|想了解|了解一下|帮我查一下|查一下|一共|总共|共计|一共是|总计|累计|是多少|有多少|为多少|达到了多少|达到多少|达多少|多少钱|多少|几[个件次项份场名家人条户所座]?|什么样|什么|哪些|哪个|哪里|哪儿|怎么样|怎样|如何|怎么|是否|有没有|是不是|吗|呢|吧|啊|呀|了|大概|大约|左右|具体|情况|这份报告|本报告|报告里|报告中|报告|今年来|去年|今年|明年|前年|当年|全年|年末|年底|年初|这几年|近几年|几年来|历年|逐年|变化|趋势|分别|对比|比较|相比|(?:近|最近|这|过去)[两二三四五六七八2-8]年`)

// placeSuffixRe finds a named place at the start of a question: "武汉市…", "十堰…".
var placeSuffixRe = regexp.MustCompile(`^([\p{Han}]{1,8}?(?:省|市|县|区|州|盟|旗|自治区|特别行政区))`)

// parseQuestion analyses raw against the issuer directory dir.
func parseQuestion(raw string, dir *issuerDirectory) *question {
	q := &question{raw: raw}
	norm := normalize(raw)
	norm, q.closesNe = trimTail(norm)
	q.norm = norm
	q.normAggregate, q.normPeriod = aggregate.MatchString(norm), periodCue.MatchString(norm)
	content := norm

	for _, mc := range metaCues {
		if mc.re.MatchString(norm) {
			q.meta = mc.kind
			// What is left names the report: "讲行政复议的那份报告".
			content = blank(blank(content, mc.re), metaFillerRe)
			break
		}
	}

	q.deictic = deicticRe.MatchString(norm)
	q.target = targetCue.MatchString(norm)
	q.compare = compareCue.MatchString(norm)
	if m := lastYearsRe.FindStringSubmatch(norm); m != nil {
		q.lastYears = map[string]int{"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}[m[1]]
		if q.lastYears == 0 {
			q.lastYears = int(m[1][0] - '0')
		}
	}
	// "这几年分别是多少": 几年 there is part of the comparison, not a unit.
	// "哪几个方面" asks which, not how many.
	cueText := blank(blank(norm, yearsCue), whichCue)
	q.wantsNumber = q.meta == metaNone && (numberCue.MatchString(cueText) || (statNounRe.MatchString(strings.TrimSpace(blank(cueText, compareCue))) && !passageCue.MatchString(norm)) ||
		(q.target && quantityTarget.MatchString(norm)) ||
		(len(yearRe.FindAllString(norm, 2)) > 1 && q.compare))
	readForm(q, cueText)
	if !q.wantsNumber && q.meta == metaNone {
		if m := countNounRe.FindStringSubmatch(strings.TrimSpace(blank(cueText, fillerTail))); m != nil && !notCountNoun(m[1]) {
			// "房县聘请法律顾问的乡镇数": the number of 乡镇.
			q.wantsNumber, q.counted = true, lastHan(m[1], maxCountedRunes)
		}
	}
	if q.wantsNumber {
		if q.counted == "" {
			if m := countedRe.FindStringSubmatch(cueText); m != nil {
				q.counted = firstHan(strings.TrimRight(cutAtAny(m[1], countedStops), " "), maxCountedRunes)
			}
		}
		q.unit = unitAfter(cueText)
		q.percent = rateCue.MatchString(norm) || strings.Contains(norm, "%") ||
			(q.unit == "" && trendCue.MatchString(norm))
		if q.percent && q.unit == "" {
			q.unit = "%"
		}
		if q.unit == "" && moneyNoun.MatchString(norm) {
			// "旅游收入多少", "研发经费投入多少": an amount of money, not a
			// count of projects or a share.
			q.unit = "元"
		}
	}
	// Years, explicit and relative.
	if m := reportYearRe.FindStringSubmatch(content); m != nil {
		// "2024年政府工作报告" names the report, delivered that year.
		q.reportYear, _ = strconv.Atoi(m[1])
		// Keep the issuer inside the name: "2025年湖南省政府工作报告".
		content = reportYearRe.ReplaceAllString(content, " $2 ")
	}
	content = spellYearSpans(content, q.normAggregate)
	for _, m := range yearRe.FindAllStringSubmatchIndex(content, -1) {
		y, _ := strconv.Atoi(content[m[2]:m[3]])
		q.years = append(q.years, y)
	}
	content = blank(content, yearRe)
	if len(q.years) > 0 {
		// "2020年疫情那年", "1958年大炼钢铁那年": with the year named, the
		// event only says which year it is.
		content = blank(content, eventYearRe)
	}
	if q.meta != metaNone && q.reportYear == 0 && len(q.years) == 1 {
		// A question about a report names the report's own year.
		q.reportYear, q.years = q.years[0], nil
	}
	switch {
	case strings.Contains(norm, "前年"):
		q.relative, q.hasRelative = -2, true
	case strings.Contains(norm, "去年") || strings.Contains(norm, "上一年") || strings.Contains(norm, "上年"):
		q.relative, q.hasRelative = -1, true
	case strings.Contains(norm, "明年"):
		q.relative, q.hasRelative = 1, true
	case strings.Contains(norm, "今年") && !strings.Contains(norm, "今年来"):
		q.relative, q.hasRelative = 0, true
	}
	if len(q.years) > 1 {
		q.compare = true
	}

	content = frames.dropOpening(content)
	// The user's own place: 咱们县, 省里, 本地. 咱们国家 is the country.
	if level, rest := frames.findDeixis(content); level != "" {
		q.place = level
		content = rest
		if level == "national" {
			q.place = ""
			content = "全国 " + content
		}
	}
	// Issuers: longest alias first, so 湖北省 wins over 湖北.
	if dir != nil {
		if _, ok := dir.aliases["全国"]; ok {
			// "国家去年研发经费投入多少": 国家 as the subject is the
			// country, as 全国 is; 国家级, 国家重点… are not.
			content = countrySubject.ReplaceAllString(content, "${1}全国$2")
		}
		var names []string
		names, content = dir.find(content)
		// "湖北省人民政府2025年…": the government of the place named.
		content = governmentAfterPlace.ReplaceAllString(content, "$1")
		q.issuers = names
		if len(names) == 0 {
			if place := dir.unknownPlace(content); place != "" {
				q.unknownPlace = place
				content = strings.Replace(content, place, " ", 1)
			}
		}
	}

	if q.unit != "" && q.unit != "%" {
		// "多少件" → drop the unit with the cue so it is not taken for a topic word.
		content = unitCueRe(q.unit).ReplaceAllString(content, " ")
	}
	// Frame words (想问一下, 方面, 打算 …) say how, not what: they are read
	// above as cues and dropped here. The phrase keeps them: it only adds
	// to a sentence that has the question's wording.
	q.phrase = blank(content, phraseFillerRe)
	content = frames.dropFrames(content)
	content = blank(content, fillerRe)
	q.content = strings.Join(strings.Fields(content), " ")
	return q
}

// eventYearRe is an event naming a year: 疫情那年, 大炼钢铁那一年.
var eventYearRe = regexp.MustCompile(`[\p{Han}]{1,6}?(?:的)?(?:那一年|那年|那时候|那时|那会儿)`)

// governmentAfterPlace is the word for a place's government right after
// the place named (blanked by the issuer directory).
var governmentAfterPlace = regexp.MustCompile(`(\s)(?:人民政府|政府)`)

// countedRe finds the noun a count question counts: 多少个乡镇, 几家企业.
var countedRe = regexp.MustCompile(`(?:多少|几)(?:万|千|百|亿)?(?:个|件|次|项|份|场|名|家|条|户|所|座|辆|部|支|张|处|批|台|套|间|位|只|头|棵|本|栋|幢|块|片|种|类)([\p{Han}]{2,8})`)

// countNounRe is a question that ends by naming a count: 乡镇数, 企业个数.
var countNounRe = regexp.MustCompile(`([\p{Han}]{2,8}?)(?:的)?(?:个数|总数|数量|数)$`)

// fillerTail are words a question may end with after naming a count.
var fillerTail = regexp.MustCompile(`(是|有|为)?(多少|几何)?$`)

// notCountNoun are words before 数 that do not make a count (指数, 系数).
func notCountNoun(s string) bool {
	for _, suf := range []string{"指", "系", "参", "函", "分", "倍", "岁", "多", "少", "无", "半", "变", "常", "礼", "术", "代", "算", "次"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// countedStops end the counted noun: the particles and verbs after it.
const countedStops = "呢了的啊吗呀吧是有在被把和与及、，, "

// maxCountedRunes is the most of a counted noun that is matched.
const maxCountedRunes = 4

// cutAtAny returns s up to its first rune in stops.
func cutAtAny(s, stops string) string {
	if i := strings.IndexAny(s, stops); i >= 0 {
		return s[:i]
	}
	return s
}

// firstHan returns the first n runes of s; lastHan the last n.
func firstHan(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

func lastHan(s string, n int) string {
	r := []rune(s)
	return string(r[max(0, len(r)-n):])
}

// countrySubject matches 国家 opening the question (after its year), as
// its subject rather than part of a compound (国家级, 国家重点实验室).
var countrySubject = regexp.MustCompile(`^(\s*(?:去年|今年|前年|明年|\s)*(?:的)?)国家(?:的)?([^级重队标安机部委])`)

// moneyNoun marks a question that ends by naming an amount of money.
var moneyNoun = regexp.MustCompile(`(收入|投入|支出|投资|经费|营收|销售额|资金|税收|利润|赤字|外汇储备|进出口总额|生产总值|GDP|gdp|经济总量)\s*(是|有|为|达到|达|一共|共|总共)?\s*(多少|多少钱|几何)?\s*$`)

// trendCue marks a question about a change ("增长目标", "增速"): without a
// unit asked, its answer is a rate.
var trendCue = regexp.MustCompile(`增长|增速|增幅|涨幅|降幅|下降|提高|上涨|降低`)

// reportYearRe matches a report named by its year: 2024年政府工作报告, 2025年的报告.
var reportYearRe = regexp.MustCompile(`(1[89]\d\d|20\d\d)\s*年度?的?(?:([\p{Han}]{0,10}?)(?:政府工作报告|工作报告)|报告)`)

// statNounRe marks a question that is only the name of a statistic
// ("云南2025年地区生产总值"): it asks for its number.
var statNounRe = regexp.MustCompile(`(生产总值|GDP|gdp|经济总量|总产量|产量|总收入|财政收入|预算收入|新增就业|人数|总额|规模|增速|增幅|失业率|城镇化率|比重|储备|赤字率|赤字|增长)(是|有|为|情况)?(多少|几何)?$`)

// passageCue marks questions that ask how or why, not how much.
var passageCue = regexp.MustCompile(`如何|怎么|怎样|哪些|什么|措施|举措|为什么|为何|办法`)

// whichCue asks which ones: 哪几个, 哪几项.
var whichCue = regexp.MustCompile(`哪几[个项条方面点件类种]*`)

// yearsCue are phrases of comparisons that contain 几年 without asking for a
// number of years.
var yearsCue = regexp.MustCompile(`这几年|近几年|几年来|前几年|(?:近|最近|这|过去)[两二三四五六七八2-8]年`)

// quantityTarget marks a question about a goal that is a number ("增长目标",
// "城镇新增就业目标") rather than about the goals in general ("今年的目标任务").
var quantityTarget = regexp.MustCompile(`(增长|增速|产量|就业|收入|总值|总量|规模|人数|率|比重|指标|涨幅|降幅)[^，。,]{0,3}(目标|预期)`)

// phraseFillerRe are the question words dropped from phrase: only the
// words that ask, so that verbs such as 达到 or 增长 stay and match the
// report's wording.
var phraseFillerRe = regexp.MustCompile(`请问|是多少|有多少|多少|几[个件次项份场名家人条户所座]?|什么|哪些|怎么样|如何|吗|呢|吧|这份报告|本报告|报告|[?？!！。，,、 ]`)

// tailRe is what may close a question after what it asks: particles,
// thanks, punctuation ("GDP呢？谢谢！").
var tailRe = regexp.MustCompile(`(?:[呢啊呀吧嘛哦啦哈喔吗]|来着|谢谢你?|谢谢您|多谢|谢啦|麻烦了|麻烦你了|辛苦了|[?？!！。.，,~～ ])+$`)

// trimTail drops what closes a question after what it asks, so that the
// rules that read its end see the last word asked; ne reports a 呢 among
// what was dropped.
func trimTail(s string) (string, bool) {
	loc := tailRe.FindStringIndex(s)
	if loc == nil || loc[0] == 0 {
		return s, false
	}
	return s[:loc[0]], strings.Contains(s[loc[0]:], "呢")
}

// blank replaces every match of re in s by a space, keeping word boundaries.
func blank(s string, re *regexp.Regexp) string {
	return re.ReplaceAllString(s, " ")
}

// normalize folds full-width letters, digits and punctuation to half-width,
// trims space and trailing question marks, and collapses inner space.
func normalize(s string) string {
	s = width.Fold.String(s)
	// Traditional characters read as simplified ones, as the index reads
	// the reports (鋼産量 is 钢产量).
	s = corpus.FoldHan(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000' || unicode.IsSpace(r):
			return ' '
		case r == utf8.RuneError:
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, zhtext.SentenceEnders+zhtext.Commas+". ")
	s = strings.Join(strings.Fields(s), " ")
	return spellYears(s)
}

// cnYearRe matches a year in Chinese numerals: 二〇二四年, 二零二五年.
var cnYearRe = regexp.MustCompile(`([〇零○一二三四五六七八九]{4})年`)

// spellYears writes years in four Arabic digits, so that yearRe finds them
// (two-digit years: see spellShortYears).
func spellYears(s string) string {
	return spellShortYears(spellCNYears(s))
}

// spellCNYears writes years in Chinese numerals (一九八五年) in Arabic
// digits; unlike spellYears it leaves two-digit years alone, so that it
// can read report text ("坚持了10年").
func spellCNYears(s string) string {
	return cnYearRe.ReplaceAllStringFunc(s, func(m string) string {
		var b strings.Builder
		for _, r := range strings.TrimSuffix(m, "年") {
			if r == '零' || r == '○' {
				r = '〇'
			}
			b.WriteRune(rune('0' + strings.IndexRune("〇一二三四五六七八九", r)/len("〇")))
		}
		return b.String() + "年"
	})
}

// asksUnit reports whether figure unit u satisfies the unit the question asks for.
func unitFits(want, unit, base string) bool {
	if want == "" {
		return true
	}
	switch want {
	case "%":
		return base == "%" || strings.Contains(unit, "百分点") || unit == "%" || unit == "成"
	case "个百分点":
		return strings.Contains(unit, "百分点")
	case "元":
		return strings.HasSuffix(base, "元")
	case "人":
		return base == "人" || base == "名" || base == "人次"
	case "场":
		return strings.HasPrefix(base, "场")
	case "次":
		return base == "次" || base == "人次" || base == "场次" || base == "次数"
	}
	return base == want || strings.HasSuffix(unit, want) || strings.HasPrefix(base, want)
}
