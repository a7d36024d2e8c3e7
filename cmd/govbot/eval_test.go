package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govbot/govbot/internal/sharedtest"
)

func TestMinScore(t *testing.T) {
	tests := []struct {
		in            string
		passed, total int
		ok            bool
		bad           bool
	}{
		{in: "20", passed: 20, total: 22, ok: true},
		{in: "20", passed: 19, total: 22, ok: false},
		{in: "0.9", passed: 20, total: 22, ok: true},
		{in: "0.95", passed: 20, total: 22, ok: false},
		{in: "90%", passed: 20, total: 22, ok: true},
		{in: "1.0", passed: 22, total: 22, ok: true},
		{in: "abc", bad: true},
		{in: "1.5", bad: true},
		{in: "-3", bad: true},
	}
	for _, tt := range tests {
		var m minScore
		err := m.Set(tt.in)
		if (err != nil) != tt.bad {
			t.Errorf("Set(%q) error %v, want bad=%v", tt.in, err, tt.bad)
			continue
		}
		if !tt.bad && m.ok(tt.passed, tt.total) != tt.ok {
			t.Errorf("--min %s with %d/%d: ok=%v, want %v", tt.in, tt.passed, tt.total, !tt.ok, tt.ok)
		}
	}
}

// TestEvalCommand scores the seed questions on the embedded default corpus
// (no index in the data directory), and exits non-zero below --min.
func TestEvalCommand(t *testing.T) {
	seed := filepath.Join(sharedtest.Eval(t), "dev-seed.jsonl")
	empty := t.TempDir()
	code, out, errs := govbot(t, empty, "eval", seed, "--min", "20")
	if code != 0 || !strings.Contains(out, "score: ") || !strings.Contains(out, "figure: ") {
		t.Fatalf("eval --min 20: exit %d\n%s\n%s", code, out, errs)
	}
	code, _, errs = govbot(t, empty, "eval", "--min", "100%", seed)
	if code == 0 && !strings.Contains(out, "score: 22/22") {
		t.Errorf("eval --min 100%% passed without a perfect score:\n%s", out)
	}
	if code != 0 && !strings.Contains(errs, "below --min") {
		t.Errorf("eval below --min: exit %d but stderr %q", code, errs)
	}

	// Misses are listed with why.
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte(`{"id":"x1","q":"房县去年一共办了多少件行政复议案件?","kind":"figure","expect":"46件"}`+"\n"+
		`{"id":"x2","q":"房县今年中小学招生政策","kind":"abstain"}`+"\n"), 0o644)
	code, out, _ = govbot(t, empty, "eval", "--min", "2", bad)
	if code != 1 || !strings.Contains(out, `miss x1 [figure]`) || !strings.Contains(out, `want ["46件"]`) || !strings.Contains(out, "score: 1/2") {
		t.Errorf("eval of a wrong expectation: exit %d\n%s", code, out)
	}

	// A malformed question set is an error, not a score.
	os.WriteFile(bad, []byte("{not json\n"), 0o644)
	if code, _, errs = govbot(t, empty, "eval", bad); code == 0 || !strings.Contains(errs, "bad.jsonl:1") {
		t.Errorf("malformed file: exit %d, stderr %q", code, errs)
	}
}
