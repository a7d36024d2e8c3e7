package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMistypedDataDir: a data directory named by --data or GOVBOT_DATA
// that does not exist is said on stderr, not silently replaced by the
// embedded sample; an existing one, or none named, says nothing.
func TestMistypedDataDir(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "govbot-dtaa")
	existing := t.TempDir()
	tests := []struct {
		name string
		env  string // GOVBOT_DATA
		args []string
		warn bool
	}{
		{"ask --data missing", "", []string{"ask", "--data", missing, "房县去年一共办了多少件行政复议案件?"}, true},
		{"reports with GOVBOT_DATA missing", missing, []string{"reports"}, true},
		{"ask --data existing", "", []string{"ask", "--data", existing, "房县去年一共办了多少件行政复议案件?"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := govbot(t, tt.env, tt.args...)
			warned := strings.Contains(errOut, "does not exist") && strings.Contains(errOut, missing)
			if code != 0 || warned != tt.warn {
				t.Errorf("exit %d, warned %v (want %v)\nstdout: %.200s\nstderr: %s", code, warned, tt.warn, out, errOut)
			}
		})
	}
}
