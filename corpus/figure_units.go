package corpus

import (
	"sort"
	"strings"
)

// unitInfo describes one unit as it may be written after a number.
type unitInfo struct {
	written string // as written: "个百分点", "噸"
	base    string // normalized (simplified, without 个): "百分点", "吨"
	count   bool   // a classifier for counted things (个 件 家 ...): the noun after it says what was counted
}

// unitTable lists the units a figure may carry. Magnitudes (万, 亿 ...) are
// not units: they are parsed separately and combined ("万元" = 万 + 元).
// Traditional forms are listed so that the 1950s reports parse; BaseUnit
// maps them to simplified characters so that figures compare across reports.
var unitTable = func() map[rune][]unitInfo {
	var list []unitInfo
	add := func(count bool, base string, written ...string) {
		for _, w := range written {
			list = append(list, unitInfo{written: w, base: base, count: count})
		}
	}
	// Counted things.
	for _, u := range []string{"件", "次", "个", "项", "人", "名", "支", "卷", "份", "条", "家", "部", "辆",
		"场", "场次", "人次", "户", "套", "台套", "所", "座", "位", "台", "张", "批", "处", "起", "例",
		"宗", "篇", "本", "册", "种", "类", "艘", "架", "架次", "列", "栋", "幢", "块", "片", "棵", "株",
		"头", "只", "车次", "户次", "件次", "部门", "标箱", "床", "家次", "门", "箱", "标准箱", "重量箱", "颗", "枚", "辆次"} {
		add(true, u, u)
	}
	// 人口 is a population, not a count of people in the sense of 人
	// (13亿多人口的大国): its own unit, so that 多少人 does not take it.
	add(false, "人口", "人口")
	add(true, "个", "個")
	add(true, "项", "項")
	add(true, "条", "條")
	add(true, "辆", "輛")
	add(true, "场", "場")
	add(true, "户", "戶")
	add(true, "台", "臺")
	add(true, "张", "張")
	add(true, "处", "處")
	add(true, "种", "種")
	add(true, "类", "類")
	add(true, "头", "頭")
	add(true, "只", "隻")
	// Shares and ratios.
	add(false, "%", "%", "％")
	add(false, "‰", "‰")
	add(false, "百分点", "个百分点", "個百分點", "百分点", "百分點")
	add(false, "倍", "倍")
	// Durations and ages. 年 and 日 have extra checks in acceptUnit.
	add(false, "年", "年")
	add(false, "月", "个月", "個月")
	add(false, "工作日", "个工作日", "個工作日", "工作日")
	add(false, "日", "日")
	add(false, "天", "天")
	add(false, "小时", "小时", "小時")
	add(false, "分钟", "分钟", "分鐘")
	add(false, "岁", "岁", "歲", "周岁", "週歲")
	// Length, area, volume, weight, energy.
	add(false, "公里", "公里")
	add(false, "千米", "千米")
	add(false, "米", "米")
	add(false, "平方米", "平方米")
	add(false, "平方公里", "平方公里")
	add(false, "平方千米", "平方千米")
	add(false, "立方米", "立方米")
	add(false, "微克/立方米", "微克/立方米")
	add(false, "亩", "亩", "畝")
	add(false, "公顷", "公顷", "公頃")
	add(false, "吨", "吨", "噸")
	add(false, "吨标准煤", "吨标准煤")
	add(false, "标准煤", "标准煤")
	add(false, "公斤", "公斤")
	add(false, "千克", "千克")
	add(false, "斤", "斤")
	add(false, "担", "担", "擔")
	add(false, "公方", "公方")
	add(false, "公尺", "公尺")
	add(false, "平方公尺", "平方公尺")
	add(false, "立方公尺", "立方公尺")
	add(false, "马力", "马力", "馬力")
	add(false, "千瓦", "千瓦")
	add(false, "千瓦时", "千瓦时", "千瓦小时")
	add(false, "兆瓦", "兆瓦")
	add(false, "瓦", "瓦")
	add(false, "度", "度")
	add(false, "℃", "℃", "摄氏度")
	// Medals: 勇夺4金、13金.
	add(true, "金", "金")
	add(true, "金牌", "金牌", "枚金牌")
	add(true, "银牌", "银牌", "枚银牌")
	add(true, "铜牌", "铜牌", "枚铜牌")
	// Money.
	add(false, "元", "元")
	add(false, "美元", "美元")
	add(false, "欧元", "欧元")
	add(false, "港元", "港元")
	add(false, "人民币", "人民币")
	add(false, "卢布", "卢布", "新卢布", "盧布")
	add(false, "日元", "日元")
	add(false, "英镑", "英镑")

	m := make(map[rune][]unitInfo)
	for _, u := range list {
		r := []rune(u.written)[0]
		m[r] = append(m[r], u)
	}
	for _, us := range m {
		// Longest first, so that 个百分点 wins over 个 and 场次 over 场.
		sort.Slice(us, func(i, j int) bool { return len(us[i].written) > len(us[j].written) })
	}
	return m
}()

// matchUnit returns the longest unit written at text[i:].
func matchUnit(text string, i int) (unitInfo, bool) {
	if i >= len(text) {
		return unitInfo{}, false
	}
	r := firstRune(text[i:])
	for _, u := range unitTable[r] {
		if strings.HasPrefix(text[i:], u.written) {
			return u, true
		}
	}
	return unitInfo{}, false
}

// magnitude is a multiplier written between a number and its unit.
type magnitude struct {
	written string
	exp     int // power of ten
}

// magnitudes is ordered longest first.
var magnitudes = []magnitude{
	{"万亿", 12}, {"萬億", 12}, {"千万", 7}, {"千萬", 7}, {"百万", 6}, {"百萬", 6}, {"十万", 5}, {"十萬", 5},
	{"亿", 8}, {"億", 8}, {"万", 4}, {"萬", 4}, {"千", 3}, {"百", 2}, {"十", 1},
}

// matchMagnitude returns the longest magnitude written at text[i:].
func matchMagnitude(text string, i int) (magnitude, bool) {
	for _, m := range magnitudes {
		if strings.HasPrefix(text[i:], m.written) {
			return m, true
		}
	}
	return magnitude{}, false
}

// approxPrefixes are the words before a number that make it approximate,
// longest first. 达/达到/高达 ("reached") are not among them: they state
// the figure exactly and are trimmed from Context as verbs instead.
var approxPrefixes = []string{"不少于", "不低于", "超过", "超過", "将近", "將近", "接近", "大约", "大約", "不到", "不足", "至少", "逾", "近", "约", "約", "超"}

// approxSuffixes follow the unit. They go into Figure.Approx but, unlike
// the 余/多 written between number and unit, not into Figure.Text.
var approxSuffixes = []string{"左右", "以上", "上下", "以下", "以内", "之多"}
