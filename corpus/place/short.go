package place

import (
	"strings"
	"unicode/utf8"
)

// Short forms are derived from the full names by the rules officials and
// residents use: drop the generic suffix (市, 县, 区, 旗, 盟, 地区, 林区,
// 特区, 新区), and for autonomous divisions drop the ethnic names with
// 自治…, keeping a one-character suffix form as well (湘西州, 长阳县).
// A short form must keep at least two characters: 房县 has none.

// minShortRunes is the shortest short form: one character (房, 易) is never
// read as a place.
const minShortRunes = 2

// genericSuffixes are stripped from a full name to get its short form,
// longest first.
var genericSuffixes = []string{"特别行政区", "地区", "新区", "林区", "特区", "省", "市", "县", "区", "旗", "盟"}

// ethnicNames are the ethnic groups named in autonomous divisions'
// names, longest first where one is the start of another (土家 before 土).
// Single-character names only count followed by 族 (藏族, 回族).
var ethnicNames = []string{
	"乌孜别克", "柯尔克孜", "维吾尔", "哈萨克", "塔吉克", "达斡尔", "鄂温克", "鄂伦春", "塔塔尔", "俄罗斯",
	"蒙古", "布依", "朝鲜", "土家", "哈尼", "傈僳", "高山", "拉祜", "东乡", "纳西", "景颇", "仫佬", "布朗",
	"撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "保安", "裕固", "独龙", "赫哲", "门巴", "珞巴", "基诺", "德昂", "各族",
	"藏族", "苗族", "彝族", "壮族", "满族", "侗族", "瑶族", "白族", "傣族", "黎族", "佤族", "畲族", "水族", "土族",
	"羌族", "怒族", "京族", "回族",
}

// shortForms returns the short forms of a division's full name at level.
func shortForms(name string) []string {
	var out []string
	add := func(s string) {
		if utf8.RuneCountInString(s) >= minShortRunes && s != name {
			for _, o := range out {
				if o == s {
					return
				}
			}
			out = append(out, s)
		}
	}
	if i := strings.Index(name, "自治"); i > 0 {
		base := ethnicBase(name[:i])
		kind := name[i+len("自治"):] // 区, 州, 县, 旗
		add(base)
		switch kind {
		case "区":
			add(base + "自治区") // 广西自治区, 新疆自治区
		case "州", "县", "旗":
			add(base + kind) // 湘西州, 长阳县, 鄂温克旗
		}
		return out
	}
	for _, suf := range genericSuffixes {
		if base, ok := strings.CutSuffix(name, suf); ok {
			add(base)
			break
		}
	}
	return out
}

// ethnicBase returns the place name before the ethnic names of an
// autonomous division's name (恩施土家族苗族 → 恩施); when the name is the
// ethnic group's own (东乡族, 鄂伦春), that name without 族.
func ethnicBase(s string) string {
	for i := range s {
		if utf8.RuneCountInString(s[:i]) < minShortRunes {
			continue
		}
		for _, e := range ethnicNames {
			if strings.HasPrefix(s[i:], e) {
				return s[:i]
			}
		}
	}
	return strings.TrimSuffix(s, "族")
}
