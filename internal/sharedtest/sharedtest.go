// Package sharedtest locates the shared test data (../shared beside the
// repository: 117 real reports and the eval question sets) for tests and
// benchmarks. On a user's fresh clone the folder is absent and tests that
// need it skip with a clear message; under CI=true they fail instead, so CI
// never passes by skipping them.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of the shared folder: $GOVBOT_SHARED if set,
// else ../shared beside the module root. It skips tb when the folder is absent,
// and fails it when CI=true.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, ok := Lookup()
	if !ok {
		msg := "shared test data not found (want ../shared beside the repository or $GOVBOT_SHARED)"
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg + "; CI=true, so this is a failure")
		}
		tb.Skip(msg + "; skipping")
	}
	return dir
}

// Reports returns the shared reports folder (with MANIFEST.tsv), as Dir does.
func Reports(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(Dir(tb), "reports")
}

// Eval returns the shared eval folder (question sets and score.py), as Dir does.
func Eval(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(Dir(tb), "eval")
}

// Lookup finds the shared folder without a testing.TB.
func Lookup() (string, bool) {
	if d := os.Getenv("GOVBOT_SHARED"); d != "" {
		if st, err := os.Stat(filepath.Join(d, "reports")); err == nil && st.IsDir() {
			abs, _ := filepath.Abs(d)
			return abs, true
		}
		return "", false
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(filepath.Dir(dir), "shared")
			if st, err := os.Stat(filepath.Join(d, "reports")); err == nil && st.IsDir() {
				return d, true
			}
			return "", false
		}
		if parent := filepath.Dir(dir); parent == dir {
			return "", false
		}
	}
}

// LocalReports returns the folder of city, county and district reports as
// scraped from the web (with MANIFEST.tsv), as Dir does.
func LocalReports(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(Dir(tb), "reports-local")
}
