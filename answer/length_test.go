package answer

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckLength(t *testing.T) {
	for _, tt := range []struct {
		q     string
		limit int
		want  string // the error's message; "" for none
	}{
		{"", 0, ""},
		{strings.Repeat("问", MaxQuestionRunes), 0, ""},
		{strings.Repeat("问", MaxQuestionRunes+1), 0, "问题太长了（501 个字），请控制在 500 个字以内。"},
		{"房县去年办了多少件行政复议案件", 15, ""},
		{"房县去年办了多少件行政复议案件？", 15, "问题太长了（16 个字），请控制在 15 个字以内。"},
		{"abc", 2, "问题太长了（3 个字），请控制在 2 个字以内。"},
	} {
		err := CheckLength(tt.q, tt.limit)
		got := ""
		if err != nil {
			got = err.Error()
			var long *TooLongError
			if !errors.As(err, &long) {
				t.Errorf("CheckLength(%.10q, %d) = %T, want a *TooLongError", tt.q, tt.limit, err)
			}
		}
		if got != tt.want {
			t.Errorf("CheckLength(%.10q, %d) = %q, want %q", tt.q, tt.limit, got, tt.want)
		}
	}
}

// TestEngineRefusesLong checks the engine refuses a question over
// MaxQuestionRunes with CheckLength's message.
func TestEngineRefusesLong(t *testing.T) {
	e := subsetEngine(t)
	q := strings.Repeat("行政复议", 200)
	a := ask(t, e, nil, q)
	if want := CheckLength(q, 0).Error(); a.Answered || a.Reason != want {
		t.Errorf("long question: answered %v, reason %q; want %q", a.Answered, a.Reason, want)
	}
}
