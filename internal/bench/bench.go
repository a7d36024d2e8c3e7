// Package bench compares govbot's indexing and answering pipeline (the gse
// analyzer) with the same pipeline on bleve's built-in "cjk" analyzer (what
// a user of bleve would pick for Chinese): build throughput, answer latency,
// cold start and peak memory of `govbot ask`, and index size. It backs
// `govbot-dev bench`.
package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
)

// Config says what to measure.
type Config struct {
	// Reports is the folder of report files (with MANIFEST.tsv).
	Reports string
	// Eval is a folder of eval question sets (*.jsonl with a "q" field);
	// their questions join the generated ones. Empty or absent: generated
	// questions only.
	Eval string
	// Work is where the indexes are built; it is created if needed and the
	// indexes in it are replaced.
	Work string
	// Binary is the govbot executable spawned for the cold-start runs
	// (`govbot ask`); empty skips them.
	Binary string
	// Helper is the govbot-dev executable: it measures each cold start
	// (`govbot-dev bench --spawn`, see coldStart) and builds the replicated
	// index in a process of its own (`govbot-dev bench --build-replicated`).
	// Empty: no cold starts, and the replicated index is built in this
	// process.
	Helper string
	// ColdRuns is how many cold starts to time per pipeline (default 10).
	ColdRuns int
	// Rounds is how many times the question list is answered for the
	// latency figures, after a warm-up round (default 10: with 159
	// questions the p99 is then the 16th slowest of 1,590 answers, where
	// with 3 rounds it was the 5th of 477 and one descheduled answer
	// moved it by milliseconds).
	Rounds int
	// Builds is how many times each pipeline's index is built, the two
	// pipelines in turn; a Result holds the median build (default 3). On a
	// shared machine one build may be slowed by another process, and
	// alternating puts both pipelines under the same load.
	Builds int
	// Replicate, when > 0, also builds a govbot index of that many reports
	// (the corpus replicated under distinct IDs) and measures its answer
	// latency.
	Replicate int
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// Pipeline names.
const (
	Govbot = "govbot (gse)"
	CJK    = "bleve cjk"
)

// Result holds one pipeline's figures.
type Result struct {
	Name    string
	Reports int
	// TextBytes is the paragraph text indexed; Build the wall time of the
	// index build; CPU its user+system CPU time (CPU/Build is the number of
	// cores used on average).
	TextBytes  int64
	Build, CPU time.Duration
	// Builds are the throughputs (MB/s) of every build, in order; Build
	// and CPU are those of the median one.
	Builds []float64
	// IndexBytes is the data directory's size on disk (bleve index and
	// catalog); BleveBytes the bleve index alone.
	IndexBytes, BleveBytes int64
	// P50 and P99 are answer latencies (answer.Engine.Ask) over the
	// question list; Questions is its length.
	P50, P99  time.Duration
	Questions int
	// SearchP50 and SearchP99 are the latencies of the index search alone
	// (index.Index.Search, the question's text, 60 hits, as the engine asks).
	SearchP50, SearchP99 time.Duration
	// Cold is the median wall time of `govbot ask` (spawn to exit, answer
	// printed), ColdRSS the largest peak RSS of those processes; zero when
	// not measured.
	Cold    time.Duration
	ColdRSS int64
	// BuildRSS is the peak RSS of the build when it ran in a process of
	// its own (the replicated index); zero when not measured.
	BuildRSS int64
}

// MBps is the build throughput in MB (10^6 bytes) of text per second.
func (r *Result) MBps() float64 { return float64(r.TextBytes) / 1e6 / r.Build.Seconds() }

// Report is the outcome of Run.
type Report struct {
	Start               time.Time
	Machine             string
	LoadBefore, LoadEnd string
	Results             []*Result // govbot, cjk, then the replicated govbot index if asked
}

// Run builds both pipelines over cfg.Reports and measures them.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.ColdRuns <= 0 {
		cfg.ColdRuns = 10
	}
	if cfg.Rounds <= 0 {
		cfg.Rounds = 10
	}
	if cfg.Builds <= 0 {
		cfg.Builds = 3
	}
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, format+"\n", args...)
		}
	}
	rep := &Report{Start: time.Now(), Machine: machine(), LoadBefore: loadavg()}
	reports, errs := corpus.LoadDir(cfg.Reports)
	if len(reports) == 0 {
		return nil, fmt.Errorf("bench: no reports in %s: %w", cfg.Reports, errors.Join(errs...))
	}
	logf("loaded %d reports from %s (%d unreadable)", len(reports), cfg.Reports, len(errs))
	if err := os.MkdirAll(cfg.Work, 0o755); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	// The dictionary loads once per process (tens of milliseconds); the
	// cold-start runs measure it, the build figures do not.
	index.LoadDictionary()

	var questions []string
	pipelines := []struct {
		name, dir string
		opts      index.Options
	}{
		{Govbot, "govbot", index.Options{}},
		{CJK, "cjk", index.Options{Analyzer: "cjk"}},
	}
	results := make([]*Result, len(pipelines))
	runs := make([][]*Result, len(pipelines))
	for k := range cfg.Builds {
		for i, p := range pipelines {
			r, err := build(ctx, p.name, filepath.Join(cfg.Work, p.dir), reports, p.opts)
			if err != nil {
				return nil, err
			}
			logf("%s: build %d/%d: %d reports, %.1f MB in %v (%.2f MB/s, %.1f cores), index %.1f MB",
				p.name, k+1, cfg.Builds, r.Reports, float64(r.TextBytes)/1e6, r.Build.Round(time.Millisecond), r.MBps(),
				r.CPU.Seconds()/r.Build.Seconds(), float64(r.IndexBytes)/1e6)
			runs[i] = append(runs[i], r)
		}
	}
	dirs := make([]string, 0, len(pipelines)+1)
	for i, p := range pipelines {
		results[i] = medianBuild(runs[i])
		dirs = append(dirs, filepath.Join(cfg.Work, p.dir))
	}
	if cfg.Replicate > 0 {
		r, err := buildReplicated(ctx, cfg, reports)
		if err != nil {
			return nil, err
		}
		logf("%s: built in %v (%.2f MB/s), peak RSS %s", r.Name, r.Build.Round(time.Millisecond), r.MBps(), mib(r.BuildRSS))
		results = append(results, r)
		dirs = append(dirs, filepath.Join(cfg.Work, "replicated"))
	}
	// The answers are timed as a server answers them: the parsed reports
	// the builds read (tens of megabytes, more when replicated) are let go
	// first, so that the collector does not mark them during the answers.
	reports = nil
	runtime.GC()
	for i, r := range results {
		dir := dirs[i]
		if questions == nil {
			questions = Questions(cfg.Eval, dir)
		}
		if err := latency(ctx, r, dir, questions, cfg.Rounds); err != nil {
			return nil, err
		}
		logf("%s: answer latency p50 %v p99 %v over %d questions", r.Name, r.P50, r.P99, r.Questions)
		if cfg.Binary != "" && cfg.Helper != "" {
			if err := coldStart(ctx, r, cfg, dir, questions); err != nil {
				return nil, err
			}
			logf("%s: cold start median %v, peak RSS %.1f MiB", r.Name, r.Cold, float64(r.ColdRSS)/(1<<20))
		}
		rep.Results = append(rep.Results, r)
	}
	rep.LoadEnd = loadavg()
	return rep, nil
}

// medianBuild returns the run of median build time, with every run's
// throughput in Builds.
func medianBuild(runs []*Result) *Result {
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b *Result) int { return int(a.Build - b.Build) })
	m := *sorted[len(sorted)/2]
	m.Builds = nil
	for _, r := range runs {
		m.Builds = append(m.Builds, r.MBps())
	}
	return &m
}

// build builds a fresh index of reports in dir.
func build(ctx context.Context, name, dir string, reports []*corpus.Report, opts index.Options) (*Result, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	runtime.GC()
	cpu0 := cpuTime()
	st, err := index.UpdateWith(ctx, dir, reports, opts)
	if err != nil {
		return nil, fmt.Errorf("bench: build %s index: %w", name, err)
	}
	r := &Result{Name: name, Reports: len(reports), TextBytes: st.Bytes, Build: st.Elapsed, CPU: cpuTime() - cpu0}
	return r, r.measureSize(dir)
}

// measureSize records the size on disk of the index in dir: all of it in
// IndexBytes, its current generation's bleve index in BleveBytes.
func (r *Result) measureSize(dir string) error {
	var err error
	if r.IndexBytes, err = dirSize(dir); err != nil {
		return err
	}
	gdir, err := index.CurrentDir(dir)
	if err != nil {
		return err
	}
	r.BleveBytes, err = dirSize(filepath.Join(gdir, "bleve"))
	return err
}

// buildReplicated builds the replicated index in cfg.Work/replicated: in a
// process of its own when cfg.Helper is set (`govbot-dev bench
// --build-replicated N`), so that its peak RSS is the build's alone, else
// in this one.
func buildReplicated(ctx context.Context, cfg Config, reports []*corpus.Report) (*Result, error) {
	dir := filepath.Join(cfg.Work, "replicated")
	r := &Result{Name: fmt.Sprintf("%s ×%d reports", Govbot, cfg.Replicate), Reports: cfg.Replicate}
	cpu0 := cpuTime()
	if cfg.Helper != "" {
		m, err := Spawn(ctx, cfg.Helper, []string{"bench", "--build-replicated", strconv.Itoa(cfg.Replicate), "--reports", cfg.Reports, "--work", cfg.Work})
		if err != nil {
			return nil, err
		}
		r.Build, r.BuildRSS, r.TextBytes = m.Wall, m.MaxRSS, replicatedText(reports, cfg.Replicate)
		r.CPU = m.CPU
	} else {
		st, err := BuildReplicated(ctx, dir, reports, cfg.Replicate)
		if err != nil {
			return nil, fmt.Errorf("bench: build %s: %w", r.Name, err)
		}
		r.Build, r.TextBytes, r.CPU = st.Elapsed, st.Bytes, cpuTime()-cpu0
	}
	return r, r.measureSize(dir)
}

// latency answers the questions Rounds times (after a warm-up round) with
// the engine over dir and records the percentiles.
func latency(ctx context.Context, r *Result, dir string, questions []string, rounds int) error {
	ix, err := index.Open(dir)
	if err != nil {
		return fmt.Errorf("bench: open %s: %w", dir, err)
	}
	defer ix.Close()
	eng := answer.New(ix)
	defer eng.Close()
	for _, q := range questions {
		if _, err := eng.Ask(ctx, q); err != nil {
			return fmt.Errorf("bench: ask %q: %w", q, err)
		}
	}
	runtime.GC() // the warm-up's garbage is not the timed rounds'
	ds := make([]time.Duration, 0, rounds*len(questions))
	for range rounds {
		for _, q := range questions {
			t := time.Now()
			if _, err := eng.Ask(ctx, q); err != nil {
				return fmt.Errorf("bench: ask %q: %w", q, err)
			}
			ds = append(ds, time.Since(t))
		}
	}
	slices.Sort(ds)
	r.P50, r.P99, r.Questions = percentile(ds, 50), percentile(ds, 99), len(questions)

	ds = ds[:0]
	for range rounds {
		for _, q := range questions {
			t := time.Now()
			if _, err := ix.Search(ctx, index.Query{Text: q, Size: 60}); err != nil {
				return fmt.Errorf("bench: search %q: %w", q, err)
			}
			ds = append(ds, time.Since(t))
		}
	}
	slices.Sort(ds)
	r.SearchP50, r.SearchP99 = percentile(ds, 50), percentile(ds, 99)
	return nil
}

// percentile returns the p-th percentile of sorted ds (nearest rank).
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := (len(ds)*p + 99) / 100
	return ds[max(0, min(len(ds)-1, i-1))]
}

// coldStart runs `govbot ask --data dir Q` cfg.ColdRuns times, a different
// question each time, and records the median wall time and the largest peak
// RSS.
//
// Each run goes through a small helper process (`govbot-dev bench --spawn`, see
// Spawn) because a child's peak RSS as the kernel reports it (rusage
// ru_maxrss) includes the peak of the process it was forked from, here the
// bench itself with two indexes built; the helper is forked from the bench
// but its own child, the measured `govbot ask`, is forked from the helper.
func coldStart(ctx context.Context, r *Result, cfg Config, dir string, questions []string) error {
	var walls []time.Duration
	for i := range cfg.ColdRuns {
		q := questions[i*7%len(questions)]
		cmd := exec.CommandContext(ctx, cfg.Helper, "bench", "--spawn", cfg.Binary, "ask", "--data", dir, q)
		cmd.Env = append(os.Environ(), "GOVBOT_DATA=")
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("bench: %s ask %q: %w", cfg.Binary, q, err)
		}
		var m Measured
		if err := json.Unmarshal(out, &m); err != nil {
			return fmt.Errorf("bench: %s bench --spawn: %w", cfg.Helper, err)
		}
		walls = append(walls, m.Wall)
		r.ColdRSS = max(r.ColdRSS, m.MaxRSS)
	}
	slices.Sort(walls)
	r.Cold = walls[len(walls)/2]
	return nil
}

// Measured is what Spawn reports of a process.
type Measured struct {
	// Wall is the time from spawn to exit; MaxRSS the peak resident set
	// size in bytes.
	Wall   time.Duration `json:"wall_ns"`
	MaxRSS int64         `json:"max_rss"`
	// CPU is the process's user+system CPU time.
	CPU time.Duration `json:"cpu_ns"`
}

// Spawn runs binary with args, its output discarded, and measures it. It is
// the helper coldStart runs (see there); it fails if the command does.
func Spawn(ctx context.Context, binary string, args []string) (Measured, error) {
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	t := time.Now()
	err := cmd.Run()
	m := Measured{Wall: time.Since(t)}
	if err != nil {
		return m, fmt.Errorf("bench: %s %s: %w", binary, strings.Join(args, " "), err)
	}
	m.MaxRSS = maxRSS(cmd.ProcessState)
	m.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return m, nil
}

// Questions returns the bench's question list: the eval sets' questions
// (if evalDir has any) and questions generated from the catalog of the index
// in dir (every report's issuer and year with common topics), in a fixed
// order.
func Questions(evalDir, dir string) []string {
	var qs []string
	if evalDir != "" {
		files, _ := filepath.Glob(filepath.Join(evalDir, "*.jsonl"))
		slices.Sort(files)
		for _, f := range files {
			qs = append(qs, evalQuestions(f)...)
		}
	}
	ix, err := index.Open(dir)
	if err != nil {
		return qs
	}
	defer ix.Close()
	topics := []string{
		"地区生产总值增长多少", "城镇新增就业多少人", "粮食产量是多少", "一般公共预算收入多少",
		"办理行政复议案件多少件", "居民人均可支配收入增长多少", "固定资产投资增长多少",
		"新建改造农村公路多少公里", "城镇调查失业率是多少", "优化营商环境有哪些举措",
		"污染防治攻坚战成效如何", "今年的主要预期目标是什么",
	}
	rng := rand.New(rand.NewPCG(6, 6))
	for _, m := range ix.Reports() {
		t := topics[rng.IntN(len(topics))]
		if m.Year > 0 {
			qs = append(qs, fmt.Sprintf("%s%d年%s", m.Issuer, m.Year, t))
		} else {
			qs = append(qs, m.Issuer+t)
		}
	}
	for _, t := range topics {
		qs = append(qs, t+"？")
	}
	return qs
}

func evalQuestions(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		var rec struct {
			Q string `json:"q"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Q != "" {
			qs = append(qs, rec.Q)
		}
	}
	return qs
}

// Replicate returns n reports: reports repeated, each copy after the first
// under distinct report and paragraph IDs ("<id>~<k>").
func Replicate(reports []*corpus.Report, n int) []*corpus.Report {
	return replicateRange(reports, 0, n)
}

// replicateRange returns the reports from-th to to-th (exclusive) of the
// sequence Replicate returns the first n of.
func replicateRange(reports []*corpus.Report, from, to int) []*corpus.Report {
	out := make([]*corpus.Report, 0, max(0, to-from))
	for i := from; i < to; i++ {
		r, k := reports[i%len(reports)], i/len(reports)
		if k == 0 {
			out = append(out, r)
			continue
		}
		c := *r
		c.ID = r.ID + "~" + strconv.Itoa(k)
		c.Paragraphs = slices.Clone(r.Paragraphs)
		for i := range c.Paragraphs {
			c.Paragraphs[i].ID = c.ID + "#p" + strconv.Itoa(c.Paragraphs[i].Seq)
		}
		out = append(out, &c)
	}
	return out
}

// replicatePart is how many replicated reports BuildReplicated hands the
// index at a time: a few of its batches, so that its pipeline runs full,
// while the copies of the whole corpus are never in memory at once.
const replicatePart = 128

// BuildReplicated builds a fresh govbot index in dir of reports replicated
// to n (as Replicate), streaming the copies into one new generation a part
// at a time, as `govbot index` streams the files it parses.
func BuildReplicated(ctx context.Context, dir string, reports []*corpus.Report, n int) (index.UpdateStats, error) {
	if err := os.RemoveAll(dir); err != nil {
		return index.UpdateStats{}, fmt.Errorf("bench: %w", err)
	}
	b, err := index.NewBuilder(ctx, dir, index.Options{})
	if err != nil {
		return index.UpdateStats{}, err
	}
	var st index.UpdateStats
	for from := 0; from < n; from += replicatePart {
		pst, err := b.Add(ctx, replicateRange(reports, from, min(n, from+replicatePart))...)
		if err != nil {
			b.Abort()
			return st, err
		}
		st.Added += pst.Added
		st.Paragraphs += pst.Paragraphs
		st.Bytes += pst.Bytes
	}
	cst, err := b.Commit(ctx)
	st.Elapsed = cst.Elapsed
	return st, err
}

// replicatedText returns the paragraph text volume of reports replicated
// to n.
func replicatedText(reports []*corpus.Report, n int) int64 {
	var total int64
	for i := range n {
		r := reports[i%len(reports)]
		for j := range r.Paragraphs {
			total += int64(len(r.Paragraphs[j].Text))
		}
	}
	return total
}

// Print writes rep as Markdown tables.
func Print(w io.Writer, rep *Report) {
	fmt.Fprintf(w, "govbot bench, %s, %s; load average %s before, %s after\n\n",
		rep.Start.UTC().Format("2006-01-02 15:04 MST"), rep.Machine, rep.LoadBefore, rep.LoadEnd)
	fmt.Fprintln(w, "| pipeline | reports | build MB/s | build wall | build peak RSS | build cores | answer p50 / p99 | search p50 / p99 | cold start (median) | cold peak RSS | index on disk | bleve index |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rep.Results {
		fmt.Fprintf(w, "| %s | %d | %.2f | %.1f s | %s | %.1f | %s / %s | %s / %s | %s | %s | %s (%.2f× text) | %s |\n",
			r.Name, r.Reports, r.MBps(), r.Build.Seconds(), mib(r.BuildRSS), r.CPU.Seconds()/r.Build.Seconds(), ms(r.P50), ms(r.P99),
			ms(r.SearchP50), ms(r.SearchP99), ms(r.Cold), mib(r.ColdRSS),
			mb(r.IndexBytes), float64(r.IndexBytes)/float64(r.TextBytes), mb(r.BleveBytes))
	}
	if len(rep.Results) >= 2 {
		g, c := rep.Results[0], rep.Results[1]
		fmt.Fprintln(w)
		fmt.Fprintf(w, "govbot ÷ cjk: build throughput %.2f× (higher is better); answer p50 %.2f×, p99 %.2f×; search p50 %.2f×, p99 %.2f×; cold start %.2f×; cold peak RSS %.2f×; index size %.2f× (lower is better)\n",
			g.MBps()/c.MBps(), ratio(g.P50, c.P50), ratio(g.P99, c.P99), ratio(g.SearchP50, c.SearchP50), ratio(g.SearchP99, c.SearchP99), ratio(g.Cold, c.Cold),
			float64(g.ColdRSS)/float64(max(c.ColdRSS, 1)), float64(g.IndexBytes)/float64(c.IndexBytes))
	}
	fmt.Fprintf(w, "\ntext: %s of paragraph text; answer latency over %d questions; cold start: `govbot ask --data DIR Q`, spawn to exit\n",
		mb(rep.Results[0].TextBytes), rep.Results[0].Questions)
	for _, r := range rep.Results {
		if len(r.Builds) > 1 {
			var xs []string
			for _, x := range r.Builds {
				xs = append(xs, fmt.Sprintf("%.2f", x))
			}
			fmt.Fprintf(w, "build MB/s of %s: median of %d builds alternating with the other pipeline's (%s)\n", r.Name, len(r.Builds), strings.Join(xs, ", "))
		}
	}
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(max(b, 1)) }

func ms(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.2f ms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.0f ms", float64(d)/1e6)
}

func mib(n int64) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

func mb(n int64) string { return fmt.Sprintf("%.2f MB", float64(n)/1e6) }

// dirSize sums the sizes of the regular files under dir.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("bench: size of %s: %w", dir, err)
	}
	return n, nil
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func machine() string {
	s := fmt.Sprintf("%s/%s, %d CPUs (GOMAXPROCS %d), %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "model name") {
				if i := strings.Index(line, ":"); i > 0 {
					s = strings.TrimSpace(line[i+1:]) + ", " + s
				}
				break
			}
		}
	}
	return s
}
