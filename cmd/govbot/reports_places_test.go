package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/govbot/govbot/internal/sharedtest"
)

// TestReportsIssuerPlaces checks that `reports --issuer` and `ask` read
// places with the same resolver, on the city and district reports of
// ../shared/reports-local.
func TestReportsIssuerPlaces(t *testing.T) {
	local := filepath.Join(sharedtest.Dir(t), "reports-local")
	dir := t.TempDir()
	if code, out, errOut := govbot(t, dir, "index", "--data", dir, local); code != 0 {
		t.Fatalf("index: exit %d\n%s\n%s", code, out, errOut)
	}
	steps := []struct {
		args []string
		want []string // lines of stdout must contain each
		not  []string
	}{
		{[]string{"reports", "--issuer", "罗湖"}, []string{"深圳市罗湖区人民政府", "1 report(s)"}, nil},
		{[]string{"reports", "--issuer", "深圳罗湖区"}, []string{"深圳市罗湖区人民政府", "1 report(s)"}, nil},
		{[]string{"reports", "--issuer", "龙华区"}, []string{"深圳市龙华区人民政府", "1 report(s)"}, nil},
		// A city lists its districts' reports too.
		{[]string{"reports", "--issuer", "深圳"}, []string{"深圳市人民政府", "深圳市罗湖区人民政府", "深圳市龙华区人民政府", "4 report(s)"}, nil},
		{[]string{"reports", "--issuer", "保定"}, []string{"易县人民政府", "涞源县人民政府", "2 report(s)"}, nil},
		{[]string{"reports", "--issuer", "丹江口"}, []string{"0 report(s)"}, nil},
		{[]string{"ask", "罗湖去年进出口总额多少"}, []string{"3697.7亿元", "深圳市罗湖区人民政府"}, nil},
		{[]string{"ask", "福田区去年进出口总额多少"}, []string{"没有收录福田区的报告"}, []string{"3697.7亿元"}},
	}
	for _, s := range steps {
		code, out, errOut := govbot(t, dir, s.args...)
		if code != 0 {
			t.Errorf("%s: exit %d\n%s", strings.Join(s.args, " "), code, errOut)
			continue
		}
		for _, w := range s.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: stdout lacks %q:\n%s", strings.Join(s.args, " "), w, out)
			}
		}
		for _, w := range s.not {
			if strings.Contains(out, w) {
				t.Errorf("%s: stdout has %q:\n%s", strings.Join(s.args, " "), w, out)
			}
		}
	}
}
