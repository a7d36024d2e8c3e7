package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/internal/bench"
)

func init() {
	register(&command{name: "bench", summary: "compare govbot's index and answers with bleve's cjk analyzer (speed, memory, size)", run: runBench})
}

func runBench(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	reports := fs.String("reports", filepath.Join("..", "shared", "reports"), "folder of reports to index")
	eval := fs.String("eval", "", "folder of eval question sets (*.jsonl); default: eval beside the reports folder")
	work := fs.String("work", "", "folder for the benchmark indexes (default: a temporary folder, removed after)")
	cold := fs.Int("cold", 10, "cold starts of `govbot ask` to time per pipeline (0: none)")
	rounds := fs.Int("rounds", 10, "rounds over the question list for the latency percentiles")
	builds := fs.Int("builds", 3, "builds of each pipeline, alternating; the median build is reported")
	replicate := fs.Int("replicate", 0, "also build a govbot index of this many reports (the corpus replicated) and time answers on it, e.g. 1000")
	buildOnly := fs.Int("build-replicated", 0, "internal: only build the index of this many replicated reports in WORK/replicated (the bench spawns it to measure the build's peak RSS)")
	spawn := fs.Bool("spawn", false, "internal: run this govbot with the arguments and print its wall time and peak RSS as JSON")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: govbot bench [--reports DIR] [--replicate 1000] [flags]")
		fmt.Fprintln(e.stderr, "Builds the index over the same reports with govbot's gse analyzer and with bleve's cjk analyzer (in turn, --builds times each),")
		fmt.Fprintln(e.stderr, "and prints build throughput, answer latency, cold start, peak RSS and index size side by side.")
		fs.PrintDefaults()
	}
	if len(args) > 0 && (args[0] == "--spawn" || args[0] == "-spawn") {
		// The measured command's flags are not bench's: no flag parsing.
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		m, err := bench.Spawn(ctx, exe, args[1:])
		if err != nil {
			return err
		}
		return json.NewEncoder(e.stdout).Encode(m)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	_ = spawn // handled above; declared for -h
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: bench takes no arguments", errUsage)
	}
	if *buildOnly > 0 {
		reps, errs := corpus.LoadDir(*reports)
		if len(reps) == 0 {
			return fmt.Errorf("bench: no reports in %s: %w", *reports, errors.Join(errs...))
		}
		st, err := bench.BuildReplicated(ctx, filepath.Join(*work, "replicated"), reps, *buildOnly)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "built %d reports, %.1f MB in %v\n", st.Added, float64(st.Bytes)/1e6, st.Elapsed)
		return nil
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
	if *cold > 0 {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("bench: find the govbot binary for the cold starts: %w", err)
		}
		cfg.Binary, cfg.ColdRuns = exe, *cold
	}
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	bench.Print(e.stdout, rep)
	return nil
}
