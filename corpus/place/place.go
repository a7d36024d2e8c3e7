// Package place recognises China's administrative divisions — provinces,
// prefecture-level cities and county-level divisions — by their full names
// and official short forms (深圳 = 深圳市, 罗湖 = 罗湖区, 广西 = 广西壮族自治区,
// 湘西州 = 湘西土家族苗族自治州), finds them in text, knows each one's city
// and province, and maps report issuers (深圳市罗湖区人民政府, 国务院) to
// places.
//
// The division list is data (divisions.tsv, from the National Bureau of
// Statistics' 统计用区划代码 as published by modood/Administrative-divisions-of-China;
// see README.md beside it), embedded in the binary.
package place

import (
	"strings"
)

// Level is the administrative level of a place.
type Level uint8

// The levels, from the country down.
const (
	Country    Level = iota // 中华人民共和国 (the State Council's reports)
	Province                // 省, 自治区, 直辖市, 特别行政区
	Prefecture              // 地级市, 地区, 自治州, 盟
	County                  // 县, 县级市, 市辖区, 旗, 自治县, 林区, 特区
)

var levelNames = [...]string{"country", "province", "prefecture", "county"}

// String names the level in English.
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return "unknown"
}

// Place is one administrative division.
type Place struct {
	// Code is the division code: 2 digits for a province, 4 for a
	// prefecture, 6 for a county; "" for the country.
	Code string
	// Name is the official full name: 深圳市, 罗湖区, 广西壮族自治区.
	Name string
	// Level is the administrative level.
	Level Level
	// Parent is the division directly above: the prefecture of a county
	// (the province for counties of municipalities and counties under a
	// province's direct administration), the province of a prefecture,
	// the country of a province; nil for the country.
	Parent *Place
	// Short are the official short forms: 深圳; 罗湖; 广西, 广西自治区; 湘西, 湘西州.
	Short []string
}

// China is the country: the place of the State Council's reports.
var China = &Place{Name: "中国", Level: Country}

// String returns the full name.
func (p *Place) String() string { return p.Name }

// Province returns the province p is in (p itself for a province), nil for
// the country.
func (p *Place) Province() *Place {
	for q := p; q != nil; q = q.Parent {
		if q.Level == Province {
			return q
		}
	}
	return nil
}

// City returns the prefecture-level city p is in (p itself for a
// prefecture); for a municipality's district it is the municipality
// (北京市); nil for provinces and for counties administered directly by a
// province (仙桃市).
func (p *Place) City() *Place {
	for q := p; q != nil; q = q.Parent {
		switch {
		case q.Level == Prefecture:
			return q
		case q.Level == Province && q != p && isMunicipality(q):
			return q
		}
	}
	return nil
}

// Ancestors returns the divisions above p, nearest first, without the
// country: 罗湖区 → 深圳市, 广东省.
func (p *Place) Ancestors() []*Place {
	var out []*Place
	for q := p.Parent; q != nil && q.Level != Country; q = q.Parent {
		out = append(out, q)
	}
	return out
}

// Within reports whether p is a or lies inside a.
func (p *Place) Within(a *Place) bool {
	for q := p; q != nil; q = q.Parent {
		if q == a {
			return true
		}
	}
	return false
}

// Qualified returns the name with the divisions above it, as a place is
// written in full: 广东省深圳市罗湖区, 北京市朝阳区, 湖北省.
func (p *Place) Qualified() string {
	var b strings.Builder
	anc := p.Ancestors()
	for i := len(anc) - 1; i >= 0; i-- {
		b.WriteString(anc[i].Name)
	}
	b.WriteString(p.Name)
	return b.String()
}

// Names returns the full name and the short forms.
func (p *Place) Names() []string {
	return append([]string{p.Name}, p.Short...)
}

// isMunicipality reports whether a province-level place is a directly
// administered municipality (北京市, 上海市 …).
func isMunicipality(p *Place) bool {
	return p.Level == Province && strings.HasSuffix(p.Name, "市")
}

// GovernmentName returns the name of the place's people's government as
// reports are issued: a district with its city (深圳市罗湖区人民政府,
// 北京市朝阳区人民政府), other divisions by their own name (易县人民政府,
// 深圳市人民政府, 湖北省人民政府); 国务院 for the country.
func (p *Place) GovernmentName() string {
	if p.Level == Country {
		return "国务院"
	}
	name := p.Name
	if p.Level == County && strings.HasSuffix(name, "区") {
		if c := p.City(); c != nil {
			name = c.Name + name
		}
	}
	return name + "人民政府"
}
