package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuiltinCollection runs ask as on a fresh machine: no ../shared, no
// data directory named. The first run indexes the embedded collection into
// the default data directory and answers a national question from it; the
// second answers at once. A data directory named on purpose keeps the
// sample, and --corpus builtin fills it too.
func TestBuiltinCollection(t *testing.T) {
	xdg := t.TempDir()
	run1 := func(vars map[string]string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
		code := run(context.Background(), e, args)
		return code, out.String(), errb.String()
	}
	fresh := map[string]string{"XDG_DATA_HOME": xdg}
	q := "2024年全国城镇新增就业多少人?"
	code, out, errOut := run1(fresh, "ask", q)
	if code != 0 || !strings.Contains(out, "1256万人") || !strings.Contains(out, "国务院") {
		t.Fatalf("first ask: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "indexing the built-in collection") || !strings.Contains(errOut, "built-in collection indexed") {
		t.Errorf("first ask: no progress on stderr: %q", errOut)
	}
	code, out2, errOut := run1(fresh, "ask", q)
	if code != 0 || out2 != out || errOut != "" {
		t.Errorf("second ask: exit %d, same answer %v, stderr %q", code, out2 == out, errOut)
	}
	code, out, errOut = run1(fresh, "reports", "--issuer", "全国")
	if code != 0 || !strings.Contains(out, "2025年中华人民共和国国务院政府工作报告") {
		t.Errorf("reports: exit %d\n%s\n%s", code, out, errOut)
	}

	// A data directory named on purpose and empty: the sample, as before.
	named := map[string]string{"GOVBOT_DATA": filepath.Join(t.TempDir(), "empty")}
	code, out, errOut = run1(named, "ask", q)
	if code != 0 || strings.Contains(out, "1256万人") || errOut != "" {
		t.Errorf("named empty data directory: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut = run1(named, "ask", "--corpus", "nonsense", q); code != 2 || !strings.Contains(errOut, "builtin or sample") {
		t.Errorf("bad --corpus: exit %d %q", code, errOut)
	}
}
