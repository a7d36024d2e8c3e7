package bottest

import (
	"strings"
	"testing"
)

func TestCheckHTML(t *testing.T) {
	tests := []struct {
		name, text string
		limit      int
		ok         bool
	}{
		{"plain", "45件", 4096, true},
		{"nested allowed", `<b>45件</b>（2025年）<blockquote>共<b><u>45件</u></b>&amp;&lt;&gt;&quot;&#34;&#x27;</blockquote><a href="https://x.org/?a=1&amp;b=2">原文</a>`, 4096, true},
		{"spoiler and expandable", `<span class="tg-spoiler">x</span><blockquote expandable>y</blockquote><pre><code class="language-go">z</code></pre>`, 4096, true},
		{"unknown tag", "<div>x</div>", 4096, false},
		{"unclosed", "<b>x", 4096, false},
		{"misnested", "<b><i>x</b></i>", 4096, false},
		{"stray end", "x</b>", 4096, false},
		{"raw <", "a < b", 4096, false},
		{"raw >", "a > b", 4096, false},
		{"raw &", "a & b", 4096, false},
		{"named entity", "&nbsp;", 4096, false},
		{"bad attribute", `<b class="x">x</b>`, 4096, false},
		{"a without href", "<a>x</a>", 4096, false},
		{"span not spoiler", `<span class="big">x</span>`, 4096, false},
		{"nested blockquote", "<blockquote><blockquote>x</blockquote></blockquote>", 4096, false},
		{"tag in code", "<code><b>x</b></code>", 4096, false},
		{"empty", "<b></b>", 4096, false},
		{"limit counts text not tags", "<b>" + strings.Repeat("字", 4096) + "</b>", 4096, true},
		{"over limit", strings.Repeat("字", 4097), 4096, false},
		{"entity is one character", strings.Repeat("&amp;", 1024), 1024, true},
		{"astral counts two", strings.Repeat("😀", 513), 1024, false},
		{"caption limit", strings.Repeat("字", 1025), 1024, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckHTML(tt.text, tt.limit)
			if (err == nil) != tt.ok {
				t.Errorf("CheckHTML(%.60q) = %v, want ok=%v", tt.text, err, tt.ok)
			}
		})
	}
}
