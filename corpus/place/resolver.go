package place

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed divisions.tsv
var divisionsTSV string

//go:embed ordinary.txt
var ordinaryTXT string

// Resolver recognises the divisions of one division list. It is safe for
// concurrent use; the zero value knows no place.
type Resolver struct {
	places []*Place
	byCode map[string]*Place
	forms  map[string]*form
	// maxRunes is the length of the longest name, in characters.
	maxRunes int
	// ordinary are names that are also ordinary words (和平, 合作, 城区):
	// they name a place only right after one of its ancestors (天津和平区).
	ordinary map[string]bool
}

// form is one name: the places it is the full name or a short form of.
type form struct {
	places []*Place // every holder
	full   []*Place // holders whose full name it is
}

// preferred returns the places a name means on its own: its full-name
// holders if any, else the highest-level holders (吉林 is 吉林省, not
// 吉林市; 朝阳 is 朝阳市 unless 北京 precedes it).
func (f *form) preferred() []*Place {
	if len(f.full) > 0 {
		return f.full
	}
	top := f.places[0].Level
	for _, p := range f.places {
		top = min(top, p.Level)
	}
	var out []*Place
	for _, p := range f.places {
		if p.Level == top {
			out = append(out, p)
		}
	}
	return out
}

var (
	defaultOnce sync.Once
	defaultRes  *Resolver
)

// Default returns the resolver over the embedded division list, built once
// per process.
func Default() *Resolver {
	defaultOnce.Do(func() {
		r, err := Parse(strings.NewReader(divisionsTSV), strings.NewReader(ordinaryTXT))
		if err != nil {
			panic(fmt.Sprintf("place: embedded division list: %v", err)) // a build defect, caught by the tests
		}
		defaultRes = r
	})
	return defaultRes
}

// Parse reads a division list (lines "code<TAB>name<TAB>parent code", #
// comments) and a list of names that are also ordinary words (one a line,
// # comments; may be nil).
func Parse(divisions, ordinary io.Reader) (*Resolver, error) {
	r := &Resolver{byCode: map[string]*Place{}, forms: map[string]*form{}, ordinary: map[string]bool{}}
	sc := bufio.NewScanner(divisions)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 || f[0] == "" || f[1] == "" {
			return nil, fmt.Errorf("division list line %d: want code, name, parent: %q", n, line)
		}
		p := &Place{Code: f[0], Name: f[1], Parent: China}
		switch len(f[0]) {
		case 2:
			p.Level = Province
		case 4:
			p.Level = Prefecture
		case 6:
			p.Level = County
		default:
			return nil, fmt.Errorf("division list line %d: code %q is not 2, 4 or 6 digits", n, f[0])
		}
		if f[2] != "" {
			parent, ok := r.byCode[f[2]]
			if !ok {
				return nil, fmt.Errorf("division list line %d: parent %q of %s not listed before it", n, f[2], f[1])
			}
			p.Parent = parent
		}
		if _, dup := r.byCode[p.Code]; dup {
			return nil, fmt.Errorf("division list line %d: code %s twice", n, p.Code)
		}
		p.Short = shortForms(p.Name)
		r.byCode[p.Code] = p
		r.places = append(r.places, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("division list: %w", err)
	}
	for _, p := range r.places {
		r.addForm(p.Name, p, true)
		for _, s := range p.Short {
			r.addForm(s, p, false)
		}
	}
	if ordinary != nil {
		sc := bufio.NewScanner(ordinary)
		for sc.Scan() {
			w, _, _ := strings.Cut(sc.Text(), "#")
			if w = strings.TrimSpace(w); w != "" {
				r.ordinary[w] = true
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("ordinary words: %w", err)
		}
	}
	return r, nil
}

func (r *Resolver) addForm(name string, p *Place, full bool) {
	f := r.forms[name]
	if f == nil {
		f = &form{}
		r.forms[name] = f
	}
	if !slices.Contains(f.places, p) {
		f.places = append(f.places, p)
	}
	if full {
		f.full = append(f.full, p)
	}
	r.maxRunes = max(r.maxRunes, utf8.RuneCountInString(name))
}

// All returns every division, provinces first, in code order within each
// list position (as listed).
func (r *Resolver) All() []*Place { return r.places }

// ByCode returns the division with the given code, nil if none.
func (r *Resolver) ByCode(code string) *Place { return r.byCode[code] }

// Holders returns every division that name (a full name or short form) is
// the name of, nil when it names none.
func (r *Resolver) Holders(name string) []*Place {
	if f := r.forms[name]; f != nil {
		return f.places
	}
	return nil
}

// Ordinary reports whether name is also an ordinary word (和平, 合作, 城区),
// read as a place only after one of its ancestors.
func (r *Resolver) Ordinary(name string) bool { return r.ordinary[name] }
