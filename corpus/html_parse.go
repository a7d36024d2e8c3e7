package corpus

import "fmt"

// ParseHTML extracts the article of a web page with ExtractHTML and parses
// it with Parse. Fields are chosen in this order: the non-empty fields of
// meta (the caller's flags), then what the report text itself says (its
// title line, speech header and date), then the page's disclosure table and
// CMS meta tags, which only fill the fields still empty (Meta.Override with
// the report laid over the page). The text wins over the page for the date
// because a work report's text dates its delivery, while the page dates its
// web posting.
func ParseHTML(name string, page []byte, contentType string, meta Meta) (*Report, error) {
	p, err := ExtractHTML(page, contentType)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	r, err := Parse(name, []byte(p.Text), meta)
	if err != nil {
		return nil, err
	}
	if r.titleMade && p.Meta.Title != "" && !isGenericTitle(p.Meta.Title) {
		r.Title = p.Meta.Title
	}
	r.Meta = p.Meta.Override(r.Meta)
	return r, nil
}
