package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestAskStdin runs `govbot ask --json -` in process on the embedded default
// corpus: one JSON line per input line, in order, whatever the line's
// encoding (UTF-8, or GB18030 from a Chinese-locale terminal), and blank or
// overlong lines get an answer line too rather than stopping the stream.
func TestAskStdin(t *testing.T) {
	const q = "房县去年一共办了多少件行政复议案件?"
	gbk, err := simplifiedchinese.GB18030.NewEncoder().String(q)
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{q, gbk, "", strings.Repeat("房县", 3000), "签订了几份政府法律顾问协议书?\r"}
	var out, errb strings.Builder
	e := &env{stdin: strings.NewReader(strings.Join(lines, "\n") + "\n"), stdout: &out, stderr: &errb, getenv: func(k string) string {
		if k == "GOVBOT_DATA" {
			return t.TempDir() // no index: the embedded default corpus
		}
		return ""
	}}
	if code := run(context.Background(), e, []string{"ask", "--json", "-"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(got) != len(lines) {
		t.Fatalf("%d answer lines for %d questions:\n%s", len(got), len(lines), out.String())
	}
	type answerLine struct {
		Answered bool
		Figure   *struct{ Text string }
		Reply    string
	}
	var ans []answerLine
	for i, l := range got {
		var a answerLine
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
		}
		ans = append(ans, a)
	}
	for i, want := range map[int]string{0: "45件", 1: "45件", 4: "8份"} {
		if ans[i].Figure == nil || ans[i].Figure.Text != want {
			t.Errorf("question %d: figure %+v, want %s; reply:\n%s", i+1, ans[i].Figure, want, ans[i].Reply)
		}
	}
	for _, i := range []int{2, 3} {
		if ans[i].Answered || ans[i].Reply == "" {
			t.Errorf("question %d: answered=%v reply %q; want a refusal that says why", i+1, ans[i].Answered, ans[i].Reply)
		}
	}
}
