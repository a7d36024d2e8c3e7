package place

import (
	"slices"
	"strings"
	"testing"
)

// TestDivisionList checks the embedded list against the published counts of
// China's divisions (NBS 2023: 31 provinces on the mainland plus 台湾, 香港,
// 澳门; 333 prefecture-level divisions; about 2,850 county-level ones) and
// that every code sits under its parent's.
func TestDivisionList(t *testing.T) {
	r := Default()
	count := map[Level]int{}
	for _, p := range r.All() {
		count[p.Level]++
		if p.Level == Province {
			if p.Parent != China {
				t.Errorf("%s: parent %v, want the country", p.Name, p.Parent)
			}
			continue
		}
		if !strings.HasPrefix(p.Code, p.Parent.Code) {
			t.Errorf("%s (%s): code not under its parent %s (%s)", p.Name, p.Code, p.Parent.Name, p.Parent.Code)
		}
		if p.Parent.Level >= p.Level {
			t.Errorf("%s: parent %s is not above it", p.Name, p.Parent.Name)
		}
	}
	if count[Province] != 34 || count[Prefecture] != 333 || count[County] < 2800 || count[County] > 2900 {
		t.Errorf("divisions: %d provinces, %d prefectures, %d counties; want 34, 333, 2800–2900", count[Province], count[Prefecture], count[County])
	}
}

// TestEveryNameResolves looks up every division by its full name, its
// qualified name, each short form, and each short form after its parent's
// name: each must give back the division itself (several when the name is
// shared, as 龙华区 is by 深圳 and 海口), and the qualified forms exactly it.
func TestEveryNameResolves(t *testing.T) {
	r := Default()
	for _, p := range r.All() {
		if got := r.Lookup(p.Name); !slices.Contains(got, p) {
			t.Errorf("Lookup(%s) = %v, want it to include %s", p.Name, got, p.Qualified())
		}
		if got := r.Lookup(p.Qualified()); len(got) != 1 || got[0] != p {
			t.Errorf("Lookup(%s) = %v, want only it", p.Qualified(), got)
		}
		for _, s := range p.Short {
			if !slices.Contains(r.Holders(s), p) {
				t.Errorf("Holders(%s) = %v, want it to include %s", s, r.Holders(s), p.Qualified())
			}
			got := r.Lookup(s)
			if !slices.Contains(got, p) && !higher(got, p) {
				t.Errorf("Lookup(%s) = %v, want %s or a division above its level", s, got, p.Qualified())
			}
			if p.Level == Province {
				continue
			}
			// The short form after the parent's name is the division:
			// 深圳罗湖, 北京朝阳, 湖北仙桃.
			q := r.Lookup(p.Parent.Name + s)
			if !slices.Contains(q, p) {
				t.Errorf("Lookup(%s) = %v, want it to include %s", p.Parent.Name+s, q, p.Qualified())
			}
		}
	}
}

// higher reports whether the places got are all above p's level: a bare
// short form shared with a province or city means that (吉林 is 吉林省, not
// 吉林市; 海南 is the province, not 海南藏族自治州).
func higher(got []*Place, p *Place) bool {
	if len(got) == 0 {
		return false
	}
	for _, g := range got {
		if g.Level >= p.Level {
			return false
		}
	}
	return true
}

// TestAncestors checks that every county-level division knows its city
// and province, and that their codes agree.
func TestAncestors(t *testing.T) {
	for _, p := range Default().All() {
		prov := p.Province()
		if prov == nil || !strings.HasPrefix(p.Code, prov.Code) {
			t.Errorf("%s: province %v", p.Qualified(), prov)
			continue
		}
		if p.Level != County {
			continue
		}
		c := p.City()
		switch {
		case c == nil && p.Parent != prov:
			t.Errorf("%s: no city but its parent %s is not the province", p.Qualified(), p.Parent.Name)
		case c != nil && c.Level == Prefecture && !strings.HasPrefix(p.Code, c.Code):
			t.Errorf("%s: city %s (%s) does not prefix its code %s", p.Qualified(), c.Name, c.Code, p.Code)
		case c != nil && c.Level == Province && !isMunicipality(c):
			t.Errorf("%s: city %s is a province", p.Qualified(), c.Name)
		}
	}
}

func TestExamples(t *testing.T) {
	r := Default()
	tests := []struct {
		name, want, city, province string
	}{
		{"深圳", "深圳市", "深圳市", "广东省"},
		{"罗湖", "罗湖区", "深圳市", "广东省"},
		{"罗湖区", "罗湖区", "深圳市", "广东省"},
		{"深圳罗湖", "罗湖区", "深圳市", "广东省"},
		{"深圳市罗湖区", "罗湖区", "深圳市", "广东省"},
		{"深圳市的罗湖区", "罗湖区", "深圳市", "广东省"},
		{"深圳龙华区", "龙华区", "深圳市", "广东省"},
		{"海口龙华", "龙华区", "海口市", "海南省"},
		{"广西", "广西壮族自治区", "", "广西壮族自治区"},
		{"广西自治区", "广西壮族自治区", "", "广西壮族自治区"},
		{"内蒙古", "内蒙古自治区", "", "内蒙古自治区"},
		{"新疆", "新疆维吾尔自治区", "", "新疆维吾尔自治区"},
		{"湘西州", "湘西土家族苗族自治州", "湘西土家族苗族自治州", "湖南省"},
		{"恩施", "恩施土家族苗族自治州", "恩施土家族苗族自治州", "湖北省"},
		{"长阳", "长阳土家族自治县", "宜昌市", "湖北省"},
		{"东乡县", "东乡族自治县", "临夏回族自治州", "甘肃省"},
		{"丹江口", "丹江口市", "十堰市", "湖北省"},
		{"房县", "房县", "十堰市", "湖北省"},
		{"易县", "易县", "保定市", "河北省"},
		{"仙桃", "仙桃市", "", "湖北省"},
		{"北京朝阳", "朝阳区", "北京市", "北京市"},
		{"朝阳", "朝阳市", "朝阳市", "辽宁省"},
		{"吉林", "吉林省", "", "吉林省"},
		{"吉林市", "吉林市", "吉林市", "吉林省"},
		{"浦东", "浦东新区", "上海市", "上海市"},
		{"神农架", "神农架林区", "", "湖北省"},
		{"锡林郭勒", "锡林郭勒盟", "锡林郭勒盟", "内蒙古自治区"},
		{"阳泉城区", "城区", "阳泉市", "山西省"},
		{"天津和平区", "和平区", "天津市", "天津市"},
		{"深圳市罗湖区人民政府", "罗湖区", "深圳市", "广东省"},
		{"湖北省人民政府", "湖北省", "", "湖北省"},
		{"房县人民政府", "房县", "十堰市", "湖北省"},
		{"香港", "香港特别行政区", "", "香港特别行政区"},
	}
	for _, tc := range tests {
		got := r.Lookup(tc.name)
		if len(got) != 1 {
			t.Errorf("Lookup(%s) = %v, want one place", tc.name, got)
			continue
		}
		p := got[0]
		city := ""
		if c := p.City(); c != nil {
			city = c.Name
		}
		if p.Name != tc.want || city != tc.city || p.Province().Name != tc.province {
			t.Errorf("Lookup(%s) = %s (city %q, province %s), want %s (city %q, province %s)", tc.name, p.Name, city, p.Province().Name, tc.want, tc.city, tc.province)
		}
	}
	if got := r.Lookup("龙华区"); len(got) != 2 {
		t.Errorf("Lookup(龙华区) = %v, want the districts of 深圳 and 海口", got)
	}
	for _, name := range []string{"国务院", "中华人民共和国国务院"} {
		if got := r.Issuer(name); got != China {
			t.Errorf("Issuer(%s) = %v, want China", name, got)
		}
	}
	// Unknown places and words that are no place.
	for _, name := range []string{"东京", "火星市", "中山路", "和平", "合作", "县里", "城区建设", ""} {
		if got := r.Lookup(name); got != nil && name != "和平" && name != "合作" {
			t.Errorf("Lookup(%q) = %v, want nil", name, got)
		}
		if got := r.Issuer(name + "人民政府"); got != nil && name != "和平" && name != "合作" {
			t.Errorf("Issuer(%q) = %v, want nil", name+"人民政府", got)
		}
	}
}

func TestGovernmentName(t *testing.T) {
	r := Default()
	for name, want := range map[string]string{
		"龙岗区": "深圳市龙岗区人民政府", "北京朝阳": "北京市朝阳区人民政府", "易县": "易县人民政府",
		"深圳": "深圳市人民政府", "湖北": "湖北省人民政府", "神农架": "神农架林区人民政府", "广西": "广西壮族自治区人民政府",
	} {
		if p := r.Issuer(name); p == nil || p.GovernmentName() != want {
			t.Errorf("%s: GovernmentName = %v, want %s", name, p, want)
		} else if r.Issuer(want) != p {
			t.Errorf("Issuer(%s) = %v, want %s", want, r.Issuer(want), p.Qualified())
		}
	}
	if got := China.GovernmentName(); got != "国务院" {
		t.Errorf("China.GovernmentName() = %s", got)
	}
}

func TestFind(t *testing.T) {
	r := Default()
	tests := []struct {
		text string
		want []string // qualified names of the mentions, in order
	}{
		{"罗湖去年进出口总额多少", []string{"广东省深圳市罗湖区"}},
		{"深圳罗湖区和福田区的GDP", []string{"广东省深圳市罗湖区", "广东省深圳市福田区"}},
		{"湖北省十堰市房县", []string{"湖北省十堰市房县"}},
		{"山东省的青岛市", []string{"山东省青岛市"}},
		{"龙华区和深圳的情况", []string{"广东省深圳市龙华区", "广东省深圳市"}},
		{"中山路和中山大学", nil},
		{"中山今年GDP", []string{"广东省中山市"}},
		{"坚持和平发展道路，深化国际合作", nil},
		{"天津和平区的学校", []string{"天津市和平区"}},
		{"河北区域协调发展", []string{"河北省"}},
		{"广西壮族自治区和内蒙古", []string{"广西壮族自治区", "内蒙古自治区"}},
		{"湘西州和恩施州", []string{"湖南省湘西土家族苗族自治州", "湖北省恩施土家族苗族自治州"}},
	}
	for _, tc := range tests {
		var got []string
		for _, m := range r.Find(tc.text) {
			if len(m.Places) != 1 {
				got = append(got, m.Text+"?")
				continue
			}
			got = append(got, m.Places[0].Qualified())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Find(%s) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestOrdinaryNamesAreDivisions keeps the list of ordinary words honest:
// each must be a division's name or short form.
func TestOrdinaryNamesAreDivisions(t *testing.T) {
	r := Default()
	for w := range r.ordinary {
		if r.Holders(w) == nil {
			t.Errorf("ordinary.txt: %s names no division", w)
		}
	}
}

func TestShortForms(t *testing.T) {
	tests := map[string][]string{
		"深圳市":        {"深圳"},
		"房县":         nil,
		"广西壮族自治区":    {"广西", "广西自治区"},
		"新疆维吾尔自治区":   {"新疆", "新疆自治区"},
		"湘西土家族苗族自治州": {"湘西", "湘西州"},
		"东乡族自治县":     {"东乡", "东乡县"},
		"鄂伦春自治旗":     {"鄂伦春", "鄂伦春旗"},
		"香港特别行政区":    {"香港"},
		"神农架林区":      {"神农架"},
		"锡林郭勒盟":      {"锡林郭勒"},
		"阿里地区":       {"阿里"},
		"浦东新区":       {"浦东"},
	}
	for name, want := range tests {
		if got := shortForms(name); !slices.Equal(got, want) {
			t.Errorf("shortForms(%s) = %v, want %v", name, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"11\t北京市\n11\t北京市\n", "1101\t东城\t99\n", "1\tX\t\n", "11\n"} {
		if _, err := Parse(strings.NewReader(in), nil); err == nil {
			t.Errorf("Parse(%q): no error", in)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	r := Default()
	q := "我在深圳罗湖上班，想问一下罗湖区去年一般公共预算收入多少，和福田比怎么样"
	for b.Loop() {
		r.Find(q)
	}
}
