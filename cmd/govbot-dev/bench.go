package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/internal/bench"
)

func init() {
	register(&command{Name: "bench", Summary: "compare govbot's index and answers with bleve's cjk analyzer (speed, memory, size)", Run: runBench})
}

func runBench(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && (args[0] == "--spawn" || args[0] == "-spawn") {
		return spawn(ctx, e, args[1:])
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	reports := fs.String("reports", filepath.Join("..", "shared", "reports"), "folder of reports to index")
	eval := fs.String("eval", "", "folder of eval question sets (*.jsonl); default: eval beside the reports folder")
	work := fs.String("work", "", "folder for the benchmark indexes (default: a temporary folder, removed after)")
	cold := fs.Int("cold", 10, "cold starts of `govbot ask` to time per pipeline (0: none)")
	govbot := fs.String("govbot", "", "the govbot binary the cold starts run (default: govbot beside govbot-dev, else on PATH)")
	rounds := fs.Int("rounds", 10, "rounds over the question list for the latency percentiles")
	builds := fs.Int("builds", 3, "builds of each pipeline, alternating; the median build is reported")
	replicate := fs.Int("replicate", 0, "also build a govbot index of this many reports (the corpus replicated) and time answers on it, e.g. 1000")
	buildOnly := fs.Int("build-replicated", 0, "internal: only build the index of this many replicated reports in WORK/replicated (the bench spawns it to measure the build's peak RSS)")
	fs.Bool("spawn", false, "internal: run `--spawn BINARY ARGS...` and print its wall time and peak RSS as JSON")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: govbot-dev bench [--reports DIR] [--replicate 1000] [flags]")
		fmt.Fprintln(e.stderr, "Builds the index over the same reports with govbot's gse analyzer and with bleve's cjk analyzer (in turn, --builds times each),")
		fmt.Fprintln(e.stderr, "and prints build throughput, answer latency, cold start, peak RSS and index size side by side.")
		fs.PrintDefaults()
	}
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *buildOnly > 0 {
		return buildReplicated(ctx, e, *reports, *work, *buildOnly)
	}
	cfg := bench.Config{Reports: *reports, Eval: *eval, Work: *work, Rounds: *rounds, Builds: *builds, Replicate: *replicate, Log: e.stderr}
	if cfg.Eval == "" {
		cfg.Eval = filepath.Join(filepath.Dir(filepath.Clean(*reports)), "eval")
	}
	if cfg.Work == "" {
		tmp, err := os.MkdirTemp("", "govbot-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		cfg.Work = tmp
	}
	if err := binaries(&cfg, *govbot, *cold); err != nil {
		return err
	}
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	bench.Print(e.stdout, rep)
	return nil
}

// binaries sets the executables of cfg: this one as the helper, and the
// govbot binary of the cold starts when there are any (flagValue, else
// govbot beside this executable, else govbot on PATH).
func binaries(cfg *bench.Config, flagValue string, cold int) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("bench: find the govbot-dev binary: %w", err)
	}
	cfg.Helper = self
	if cold <= 0 {
		return nil
	}
	cfg.Binary, cfg.ColdRuns = flagValue, cold
	if cfg.Binary != "" {
		return nil
	}
	if beside := filepath.Join(filepath.Dir(self), "govbot"); isFile(beside) {
		cfg.Binary = beside
		return nil
	}
	if cfg.Binary, err = exec.LookPath("govbot"); err != nil {
		return fmt.Errorf("%w: no govbot binary for the cold starts (build it beside govbot-dev, pass --govbot PATH, or --cold 0): %v", errUsage, err)
	}
	return nil
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// spawn runs `--spawn BINARY ARGS...`: BINARY with ARGS (which are not
// bench's flags), printing its wall time and peak RSS as JSON.
func spawn(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: --spawn needs a binary to run", errUsage)
	}
	m, err := bench.Spawn(ctx, args[0], args[1:])
	if err != nil {
		return err
	}
	return json.NewEncoder(e.stdout).Encode(m)
}

// buildReplicated builds the index of n replicated reports in
// work/replicated, for the bench to measure in a process of its own.
func buildReplicated(ctx context.Context, e *env, reports, work string, n int) error {
	reps, errs := corpus.LoadDir(reports)
	if len(reps) == 0 {
		return fmt.Errorf("bench: no reports in %s: %w", reports, errors.Join(errs...))
	}
	st, err := bench.BuildReplicated(ctx, filepath.Join(work, "replicated"), reps, n)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "built %d reports, %.1f MB in %v\n", st.Added, float64(st.Bytes)/1e6, st.Elapsed)
	return nil
}
