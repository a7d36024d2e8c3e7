package answer

import "strings"

// RenderText renders an answer as the plain text a chat user reads: the
// figure first, then the excerpt with the figure marked 【】, then the
// citation (report, section path, issuer and date, link). Abstentions say
// that the reports do not say and what they cover.
// It is the terminal rendering of Layout(a).
func RenderText(a *Answer) string { return renderView(Layout(a)) }

// figureLine is the figure as the first line shows it: approximation and number.
func figureLine(f *Figure) string {
	if f.Approx != "" && !strings.Contains(f.Text, f.Approx) {
		switch f.Approx {
		case "左右", "以上", "上下", "以内", "以下":
			return f.Text + f.Approx
		}
		return f.Approx + f.Text
	}
	return f.Text
}
