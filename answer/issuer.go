package answer

import (
	"sort"
	"strings"
)

// issuerDirectory resolves the names users give places and bodies ("湖北",
// "湖北省", "全国", "房县") to the issuers of the indexed reports.
type issuerDirectory struct {
	// isPlace reports whether a word is a place name (from the dictionary's
	// part-of-speech tags); nil treats no word as a place.
	isPlace func(string) bool
	// aliases maps every known name to its canonical issuer, longest first in order.
	aliases map[string]string
	order   []string
}

// nationalAliases name the State Council's reports: a question about 全国 or
// 我国 is about the national report.
var nationalAliases = []string{"国务院", "全国", "我国", "中国", "中央政府", "全国人大", "中华人民共和国"}

// adminSuffixes are stripped from issuer names to get their short forms, longest first.
var adminSuffixes = []string{"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "省", "市", "县", "区", "州", "盟", "旗"}

// provinces lists China's provincial-level divisions by short name, so that a
// question about one the corpus lacks gets "no report from X" instead of
// another province's figure.
var provinces = []string{
	"北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东",
	"河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏",
	"宁夏", "新疆", "香港", "澳门",
}

// newIssuerDirectory builds the directory from the issuers of the indexed reports.
func newIssuerDirectory(issuers []string) *issuerDirectory {
	d := &issuerDirectory{aliases: make(map[string]string)}
	add := func(alias, issuer string) {
		if alias == "" || len([]rune(alias)) < 2 {
			return
		}
		if _, ok := d.aliases[alias]; !ok {
			d.aliases[alias] = issuer
		}
	}
	for _, is := range issuers {
		if is == "" {
			continue
		}
		if is == "国务院" || strings.Contains(is, "国务院") {
			for _, a := range nationalAliases {
				add(a, is)
			}
			add(is, is)
			continue
		}
		add(is, is)
		base := strings.TrimSuffix(strings.TrimSuffix(is, "人民政府"), "政府")
		add(base, is)
		add(base+"政府", is)
		for _, suf := range adminSuffixes {
			if short := strings.TrimSuffix(base, suf); short != base {
				add(short, is)
				if suf != "省" && suf != "市" {
					// 新疆维吾尔自治区 → 新疆, and also 新疆自治区.
					add(short+"自治区", is)
				}
				break
			}
		}
	}
	for a := range d.aliases {
		d.order = append(d.order, a)
	}
	sort.Slice(d.order, func(i, j int) bool {
		if len(d.order[i]) != len(d.order[j]) {
			return len(d.order[i]) > len(d.order[j])
		}
		return d.order[i] < d.order[j]
	})
	return d
}

// find returns the canonical issuers named in s (each once, in order of
// appearance) and s with those names blanked out.
func (d *issuerDirectory) find(s string) ([]string, string) {
	type hit struct {
		at     int
		issuer string
	}
	var hits []hit
	for _, a := range d.order {
		for {
			i := strings.Index(s, a)
			if i < 0 {
				break
			}
			hits = append(hits, hit{i, d.aliases[a]})
			s = s[:i] + strings.Repeat(" ", len(a)) + s[i+len(a):]
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	var out []string
	seen := map[string]bool{}
	for _, h := range hits {
		if !seen[h.issuer] {
			seen[h.issuer] = true
			out = append(out, h.issuer)
		}
	}
	return out, s
}

// unknownPlace returns a place named in s that has no indexed reports: a
// province by name or short name anywhere, or a name ending in an
// administrative suffix (市, 县, 区 …) at the start of the question.
func (d *issuerDirectory) unknownPlace(s string) string {
	for _, p := range provinces {
		if strings.Contains(s, p) {
			if _, ok := d.aliases[p]; !ok {
				// Name the province as users would: with its suffix when written so.
				for _, suf := range []string{"省", "市", "自治区"} {
					if strings.Contains(s, p+suf) {
						return p + suf
					}
				}
				return p
			}
		}
	}
	t := strings.TrimLeft(s, " ")
	if m := placeSuffixRe.FindString(t); m != "" && d.isPlace != nil {
		if _, ok := d.aliases[m]; !ok && !genericPlace(m) {
			stem := m
			for _, suf := range adminSuffixes {
				if s := strings.TrimSuffix(m, suf); s != m {
					stem = s
					break
				}
			}
			if d.isPlace(m) || d.isPlace(stem) {
				return m
			}
		}
	}
	return ""
}

// genericPlace reports words ending like a place that are not one ("全市", "各县", "城区").
func genericPlace(s string) bool {
	r := []rune(s)
	if len(r) < 2 {
		return true
	}
	switch string(r[0]) {
	case "全", "各", "本", "我", "该", "此", "城", "市", "县", "省", "区", "新", "老", "社", "园", "景", "示", "试", "开", "高", "重", "自", "贸", "功":
		return true
	}
	for _, w := range []string{"城区", "社区", "园区", "景区", "示范区", "试验区", "开发区", "高新区", "自贸区", "功能区", "片区", "辖区", "地区", "山区", "库区", "矿区", "灾区", "牧区", "林区", "市场", "城市", "都市", "县城", "县域", "乡镇"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// IssuersNamed returns the issuers of indexed reports that name refers to:
// "湖北", "湖北省" → 湖北省人民政府; "全国", "国务院" → 国务院. It returns nil
// when name matches no indexed issuer.
func (e *Engine) IssuersNamed(name string) []string {
	e.mu.RLock()
	dir := e.dir
	e.mu.RUnlock()
	if dir == nil {
		return nil
	}
	issuers, _ := dir.find(normalize(name))
	return issuers
}
