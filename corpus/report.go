// Package corpus models government work reports: their metadata, their
// heading structure, their paragraphs and the statistics (figures) those
// paragraphs state. It parses report text as it comes from government sites
// and newspapers (half-width and full-width punctuation alike).
package corpus

import "time"

// Report is one published report, split into paragraphs under their headings.
type Report struct {
	// Meta is the report's metadata. It is embedded, so its fields are the
	// report's (r.ID, r.Title) and its JSON fields are the report's own.
	Meta
	// Header holds the lines at the top of the text that Parse consumed as
	// metadata (title, disclosure header, speech header, speaker), as written.
	Header []string `json:"header,omitempty"`
	// Chrome holds the lines of a scraped page's chrome that Parse left out
	// of the text (site info line, counters, the site's abstract, share
	// buttons, link lists at the end), as written. It is not stored in the
	// index.
	Chrome []string `json:"-"`
	// Headings holds every heading in document order.
	Headings []Heading `json:"headings,omitempty"`
	// Paragraphs holds the body paragraphs in document order.
	Paragraphs []Paragraph `json:"paragraphs"`

	// titleMade is set when Parse made the title from the issuer, year and
	// kind because the text had none: a title a web page states outranks it.
	titleMade bool
}

// Heading is one heading of the report's hierarchy.
type Heading struct {
	// Level is the depth: 1 for 一、/第一章, 2 for (一)/第一节, 3 for 1., 4 for (1).
	Level int `json:"level"`
	// Marker is the numbering as written ("一、", "（一）", "1.").
	Marker string `json:"marker"`
	// Text is the full heading as it appears, marker included: "(五)聚焦依法治理,行政复议应诉工作扎实推进".
	Text string `json:"text"`
	// Line is the 1-based line number of the heading in the decoded file.
	Line int `json:"line,omitempty"`
	// Inline reports that the heading is the first sentence of a paragraph
	// ("1.高效完成行政复议体制改革。成立…"): that paragraph's Text repeats it.
	Inline bool `json:"inline,omitempty"`
}

// Paragraph is one body paragraph with the headings it sits under.
type Paragraph struct {
	// ID is stable for the same report text: the report ID, "#p", and the 1-based ordinal.
	ID string `json:"id"`
	// Seq is the 1-based ordinal of the paragraph in the report.
	Seq int `json:"seq"`
	// Path is the chain of headings above the paragraph, outermost first.
	Path []Heading `json:"path,omitempty"`
	// Text is the paragraph text as it appears in the report (trimmed).
	Text string `json:"text"`
	// Line is the 1-based line number where the paragraph starts in the decoded file.
	Line int `json:"line,omitempty"`
	// Figures are the statistics the paragraph states, in order of appearance.
	Figures []Figure `json:"figures,omitempty"`
}

// SectionPath returns the heading texts of the paragraph's path, outermost first.
func (p *Paragraph) SectionPath() []string {
	out := make([]string, len(p.Path))
	for i, h := range p.Path {
		out[i] = h.Text
	}
	return out
}

// Figure is one statistic stated in a paragraph: "1500余次", "25万元", "87.2%".
type Figure struct {
	// Text is the figure exactly as written, approximation words included ("超过3.2万亿美元" → "3.2万亿美元" with Approx "超过").
	// It is the number, any approximation suffix (余/多) and the unit: "1500余次", "45件", "1.4万亿斤".
	Text string `json:"text"`
	// Number is the numeric value as written, before any unit multiplier (1500 for 1500余次, 25 for 25万元).
	Number float64 `json:"number"`
	// Unit is the unit as written, multiplier included ("次", "万元", "%", "个百分点").
	Unit string `json:"unit"`
	// Value is the value normalized to BaseUnit (25万元 → 250000).
	Value float64 `json:"value"`
	// BaseUnit is the unit without magnitude prefixes (万元 → 元, 万人 → 人, 亿斤 → 斤).
	BaseUnit string `json:"base_unit"`
	// Max is the upper bound of a range, normalized like Value ("3%—5%",
	// "1—2个": Value is the lower bound 3, Max 5); zero when the figure is
	// not a range.
	Max float64 `json:"max,omitempty"`
	// Approx is the approximation marker when there is one: 余, 多, 近, 约, 超过, 左右, 以上, 逾 ...
	Approx string `json:"approx,omitempty"`
	// Context is the words that say what was counted, e.g. "办理行政复议案件".
	Context string `json:"context"`
	// Start and End are byte offsets of Text within the paragraph text.
	Start int `json:"start"`
	End   int `json:"end"`
}

// Meta is a report's metadata: what Parse reads from the text (title line,
// disclosure header, speech header), from a front matter block, a manifest
// file or command flags, and what the catalog and listings keep of a report
// without its paragraphs. Its JSON fields are those of Report, in the same
// order, so a Report and its Meta encode alike.
type Meta struct {
	// ID is a stable identifier, by default the file name without extension
	// (for example "2024-fangxian-fzzf").
	ID string `json:"id"`
	// Title is the report's title, e.g. 《房县人民政府关于2023年度法治政府建设工作报告》 without the brackets.
	Title string `json:"title"`
	// Issuer is the body that issued or delivered the report (发布机构), e.g. 房县人民政府 or 国务院.
	Issuer string `json:"issuer"`
	// Speaker is the person who delivered a work report, when the text names one (国务院总理 李强).
	Speaker string `json:"speaker,omitempty"`
	// Published is the publication or delivery date; zero when unknown.
	Published time.Time `json:"published"`
	// Year is the year the report was published or delivered; 0 when unknown.
	// A work report delivered in year Y reviews year Y-1 and sets targets for Y.
	Year int `json:"year,omitempty"`
	// DocNumber is the document number (文号), IndexNumber the disclosure index number (索引号),
	// Topic the disclosure topic (主题分类).
	DocNumber   string `json:"doc_number,omitempty"`
	IndexNumber string `json:"index_number,omitempty"`
	Topic       string `json:"topic,omitempty"`
	// URL is the source link, when known.
	URL string `json:"url,omitempty"`
	// Source says where the text came from when that is not a URL
	// (for example a corpus name from the manifest).
	Source string `json:"source,omitempty"`
}

// Override is the one rule by which report metadata from two sources is
// merged: it returns m with every non-empty field of over in place of m's,
// so over wins wherever it says something and m fills the rest. Lay the
// more authoritative source over what is known (command flags over a
// manifest over a front matter block over the text; a page's disclosure
// table over its meta tags), or, to fill only the gaps of m from a weaker
// source, write weaker.Override(m).
func (m Meta) Override(over Meta) Meta {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&m.ID, over.ID)
	set(&m.Title, over.Title)
	set(&m.Issuer, over.Issuer)
	set(&m.Speaker, over.Speaker)
	set(&m.DocNumber, over.DocNumber)
	set(&m.IndexNumber, over.IndexNumber)
	set(&m.Topic, over.Topic)
	set(&m.URL, over.URL)
	set(&m.Source, over.Source)
	if !over.Published.IsZero() {
		m.Published = over.Published
	}
	if over.Year != 0 {
		m.Year = over.Year
	}
	return m
}

// Dated returns m with Year set from Published when m has a date but no
// year, as a date given by front matter or flags implies the year.
func (m Meta) Dated() Meta {
	if m.Year == 0 && !m.Published.IsZero() {
		m.Year = m.Published.Year()
	}
	return m
}
