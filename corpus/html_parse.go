package corpus

import "fmt"

// ParseHTML extracts the article of a web page with ExtractHTML and parses
// it with Parse. Fields are chosen in this order: the non-empty fields of
// meta (the caller's flags), then what the report text itself says (its
// title line, speech header and date), then the page's disclosure table and
// CMS meta tags. The text wins over the page for the date because a work
// report's text dates its delivery, while the page dates its web posting.
func ParseHTML(name string, page []byte, contentType string, meta Meta) (*Report, error) {
	p, err := ExtractHTML(page, contentType)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	r, err := Parse(name, []byte(p.Text), meta)
	if err != nil {
		return nil, err
	}
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	if r.titleMade && p.Meta.Title != "" && !isGenericTitle(p.Meta.Title) {
		r.Title = p.Meta.Title
	}
	fill(&r.Title, p.Meta.Title)
	fill(&r.Issuer, p.Meta.Issuer)
	fill(&r.DocNumber, p.Meta.DocNumber)
	fill(&r.IndexNumber, p.Meta.IndexNumber)
	fill(&r.Topic, p.Meta.Topic)
	if r.Published.IsZero() && !p.Meta.Published.IsZero() {
		r.Published = p.Meta.Published
	}
	if r.Year == 0 {
		r.Year = p.Meta.Year
	}
	return r, nil
}
