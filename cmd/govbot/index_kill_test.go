package main

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/sharedtest"
)

// helperArgs, when set in the environment, makes TestHelperProcess run
// govbot with these arguments (separated by newlines) and exit: the tests
// below run govbot as a process of its own, to kill it.
const helperArgs = "GOVBOT_TEST_HELPER_ARGS"

func TestHelperProcess(t *testing.T) {
	args := os.Getenv(helperArgs)
	if args == "" {
		t.Skip("only run as a helper process")
	}
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(context.Background(), e, strings.Split(args, "\n")))
}

// startGovbot starts govbot (this test binary as TestHelperProcess) with
// args in its own process.
func startGovbot(t *testing.T, dir string, stdin *os.File, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Stdin = stdin
	cmd.Env = append(os.Environ(), helperArgs+"="+strings.Join(args, "\n"), "GOVBOT_DATA="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// copyReports copies the named report files and the manifest of the shared
// reports folder into a new folder.
func copyReports(t *testing.T, src string, names []string) string {
	t.Helper()
	dst := t.TempDir()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(src, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	man, err := os.ReadFile(filepath.Join(src, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(man), "\n")
	kept := lines[:1] // the header
	for _, l := range lines[1:] {
		if file, _, _ := strings.Cut(l, "\t"); slices.Contains(names, file) {
			kept = append(kept, l)
		}
	}
	if err := os.WriteFile(filepath.Join(dst, "MANIFEST.tsv"), []byte(strings.Join(kept, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// reportIDs lists what `govbot reports --json` lists, or the error.
func reportCount(t *testing.T, dir string) (int, string) {
	t.Helper()
	code, out, errs := govbot(t, dir, "ask", "--json", "2024年全国城镇新增就业多少人")
	if code != 0 {
		return -1, errs
	}
	var a struct{ Reply string }
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("ask output %q: %v", out, err)
	}
	if strings.Contains(a.Reply, "还没有收录任何报告") {
		return 0, a.Reply
	}
	code, out, errs = govbot(t, dir, "reports")
	if code != 0 {
		return -1, errs
	}
	return strings.Count(out, "\n"), out
}

// TestIndexKilled kills `govbot index` (kill -9) at random moments: a
// refresh killed at any moment leaves the previous index answering, whole
// (never some reports new and others not), and a first build killed leaves
// no index that answers "no reports yet" (issue 13, defect 6).
func TestIndexKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds indexes in processes of their own")
	}
	shared := sharedtest.Reports(t)
	ents, err := os.ReadDir(shared)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".txt") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	names = names[len(names)-16:] // recent, short reports
	oldSrc := copyReports(t, shared, names[:8])
	allSrc := copyReports(t, shared, names)
	rng := rand.New(rand.NewPCG(13, 6))

	base := t.TempDir()
	if code, _, errs := govbot(t, base, "index", oldSrc); code != 0 {
		t.Fatal(errs)
	}
	oldCount, listing := reportCount(t, base)
	if oldCount <= 0 {
		t.Fatalf("old index: %s", listing)
	}
	// How long a full refresh takes here, to kill within it.
	start := time.Now()
	timing := t.TempDir()
	if code, _, errs := govbot(t, timing, "index", allSrc); code != 0 {
		t.Fatal(errs)
	}
	full := time.Since(start)
	newCount, _ := reportCount(t, timing)

	for run := range 3 {
		dir := t.TempDir()
		if code, _, errs := govbot(t, dir, "index", oldSrc); code != 0 {
			t.Fatal(errs)
		}
		cmd := startGovbot(t, dir, nil, "index", allSrc)
		wait := time.Duration(rng.Int64N(int64(2 * full))) // some kills after the switch
		time.Sleep(wait)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		n, out := reportCount(t, dir)
		t.Logf("refresh killed after %v of ~%v: %d reports", wait.Round(time.Millisecond), full.Round(time.Millisecond), n)
		if n != oldCount && n != newCount {
			t.Errorf("run %d: %d reports after a killed refresh, want %d (old) or %d (new):\n%s", run, n, oldCount, newCount, out)
		}
		// The next refresh completes it.
		if code, _, errs := govbot(t, dir, "index", allSrc); code != 0 {
			t.Fatal(errs)
		}
		if n, out := reportCount(t, dir); n != newCount {
			t.Errorf("run %d: refresh after the kill: %d reports, want %d:\n%s", run, n, newCount, out)
		}
	}
	for run := range 3 {
		dir := t.TempDir()
		cmd := startGovbot(t, dir, nil, "index", oldSrc)
		wait := time.Duration(rng.Int64N(int64(full / 2)))
		time.Sleep(wait)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if _, err := index.CurrentDir(dir); errors.Is(err, index.ErrNoIndex) {
			// Killed before the build began: no index, as before it ran
			// (ask then serves the embedded sample, as documented).
			t.Logf("first build killed after %v, before it began", wait.Round(time.Millisecond))
			continue
		}
		n, out := reportCount(t, dir)
		t.Logf("first build killed after %v: %d reports: %.80s", wait.Round(time.Millisecond), n, out)
		switch {
		case n == 0:
			t.Errorf("run %d: a killed first build answers %q", run, out)
		case n < 0 && !strings.Contains(out, "govbot index"):
			t.Errorf("run %d: a killed first build fails without saying what to do: %s", run, out)
		case n > 0 && n != oldCount:
			t.Errorf("run %d: %d reports after a killed first build, want none or %d", run, n, oldCount)
		}
	}
}

// TestReadBesideRunningUpdate: `govbot ask` and `govbot reports` work on
// a data directory while another process holds it (here a refresh in
// progress; `govbot serve` opens it the same way, read-only), where they
// used to wait 10 s for bleve's lock and fail (issue 13, defect 7).
func TestReadBesideRunningUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds indexes in processes of their own")
	}
	shared := sharedtest.Reports(t)
	dir := t.TempDir()
	src := copyReports(t, shared, []string{"2024-state-council-gwr.txt"})
	if code, _, errs := govbot(t, dir, "index", src); code != 0 {
		t.Fatal(errs)
	}
	// A reader process holds the index open (as serve does) ...
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	reader := startGovbot(t, dir, r, "ask", "-")
	defer func() { w.Close(); r.Close(); reader.Process.Kill(); reader.Wait() }()
	// ... and a refresh of the whole corpus runs.
	writer := startGovbot(t, dir, nil, "index", shared)
	defer func() { writer.Process.Kill(); writer.Wait() }()
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	code, out, errs := govbot(t, dir, "ask", "--json", "2024年全国城镇新增就业多少人")
	if code != 0 || !strings.Contains(out, `"answered":true`) {
		t.Errorf("ask beside a running update: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := govbot(t, dir, "reports"); code != 0 || !strings.Contains(out, "2024") {
		t.Errorf("reports beside a running update: exit %d\n%s%s", code, out, errs)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("ask and reports took %v beside a running update", el)
	}
}
