package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"

	"github.com/govbot/govbot/store"
)

func TestFeedbackCSV(t *testing.T) {
	dir := t.TempDir()
	st, err := store.OpenDir(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []store.Feedback{
		{Helpful: true, Question: "湖北2025年GDP", Figure: "62661亿元", Answered: true, Report: "2026-hubei-gwr", ReportTitle: "2026年湖北省政府工作报告", Paragraph: "p3", ChatID: 7, UserID: 7},
		{Helpful: false, Question: "=HYPERLINK(\"x\")，逗号,和\"引号\"", ChatID: -100, UserID: 8},
	} {
		if _, err := st.AddFeedback(f); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	if code := run(context.Background(), e, []string{"feedback", "--data", dir}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || len(recs[0]) != len(feedbackHeader) {
		t.Fatalf("csv = %q", recs)
	}
	if recs[1][2] != "wrong" || recs[1][3] != "'=HYPERLINK(\"x\")，逗号,和\"引号\"" || recs[1][9] != "-100" {
		t.Errorf("newest row = %q", recs[1])
	}
	if recs[2][2] != "helpful" || recs[2][6] != "2026-hubei-gwr" || recs[2][8] != "p3" || recs[2][4] != "62661亿元" {
		t.Errorf("oldest row = %q", recs[2])
	}
}
