package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/bot"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/cli"
	"github.com/govbot/govbot/web"
)

func init() {
	register(&command{
		Name:    "serve",
		Summary: "run the Telegram bot (long polling, or a webhook with --webhook-url)",
		Run:     runServe,
	})
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	token := fs.String("token", "", "bot token (default $TELEGRAM_BOT_TOKEN); prefer the variable: flags show in ps")
	apiURL := fs.String("api-url", "", "Bot API server URL, for a self-hosted or fake server (default $TELEGRAM_API_URL, else api.telegram.org)")
	data := fs.String("data", "", "data directory holding the index (default $GOVBOT_DATA, else ~/.local/share/govbot)")
	webhookURL := fs.String("webhook-url", "", "public HTTPS URL for Telegram to post updates to; long polling when empty (default $TELEGRAM_WEBHOOK_URL)")
	webhookSecret := fs.String("webhook-secret", "", "secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (default $TELEGRAM_WEBHOOK_SECRET, else random)")
	listen := fs.String("listen", "", "address for /healthz, /metrics, the webhook and the web pages; \"-\" for none in polling mode (default $GOVBOT_LISTEN, else 127.0.0.1:8080)")
	corpusF := corpusFlag(fs)
	indexFrom := fs.String("index-if-missing", "", "index the reports in `DIR` when the data directory has no index, or only the embedded sample report (default $GOVBOT_REPORTS; without either, an empty data directory serves the sample)")
	metricsListen := fs.String("metrics-listen", "", "separate address for /metrics and /healthz, e.g. 127.0.0.1:9090 (default $GOVBOT_METRICS_LISTEN); with --webhook-url, /metrics is not served on --listen unless --metrics-token is set")
	metricsToken := fs.String("metrics-token", "", "require \"Authorization: Bearer TOKEN\" for /metrics (default $GOVBOT_METRICS_TOKEN)")
	maxSendWait := fs.Duration("max-send-wait", 0, "longest a reply waits in total for Telegram's 429 retry_after and retries before it is dropped and the user told (default $GOVBOT_MAX_SEND_WAIT, else 3m)")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	logJSON := fs.Bool("log-json", false, "log JSON lines instead of text")
	var cf cacheFlags // bounds of the index's caches (index.go)
	cf.register(fs)
	var af announceFlags // subscriptions, announcements, sources (announce.go)
	af.register(fs)
	withWeb := fs.Bool("web", true, "serve the web pages and JSON API (govbot web) on the listen address as well")
	var wf webFlags
	wf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: govbot serve [flags]\n\nRuns the Telegram bot. The token comes from --token or TELEGRAM_BOT_TOKEN.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := cli.ParseNoArgs(fs, args); err != nil {
		return err
	}
	orEnv := func(v, name string) string {
		if v != "" {
			return v
		}
		return e.getenv(name)
	}
	tok := orEnv(*token, "TELEGRAM_BOT_TOKEN")
	if strings.TrimSpace(tok) == "" {
		return fmt.Errorf("%w: no bot token: set TELEGRAM_BOT_TOKEN or --token", errUsage)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("%w: --log-level: %v", errUsage, err)
	}
	hopts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(e.stderr, hopts)
	if *logJSON {
		h = slog.NewJSONHandler(e.stderr, hopts)
	}
	log := slog.New(bot.RedactHandler(h, tok))

	dir := dataDir(e, *data)
	choice, err := corpusChoice(e, *corpusF, *data)
	if err != nil {
		return err
	}
	warnMissingData(e, *data, dir)
	if src := orEnv(*indexFrom, "GOVBOT_REPORTS"); src != "" {
		if err := indexIfMissing(ctx, e, log, dir, src); err != nil {
			return err
		}
	} else if err := prepareData(ctx, e, dir, choice); err != nil {
		return err
	}
	// Reports ingested by the watcher must go to an index on disk.
	if err := ensureIndex(ctx, dir); err != nil {
		return err
	}
	// Set after any first-start indexing, which needs far more memory for
	// a short while and would only be slowed by the limit.
	if err := cf.apply(e); err != nil {
		return err
	}
	defer setServeGC(e, log)()
	ix, err := index.Open(dir)
	if err != nil {
		return fmt.Errorf("open index in %s: %w", dir, err)
	}
	defer ix.Close()
	// The engine follows ix: reports the watcher adds to it, and the new
	// generations `govbot index` beside the server builds.
	eng := answer.New(ix)
	defer eng.Close()
	if reps := eng.Reports(); len(reps) == 1 {
		if def, err := answer.DefaultReport(); err == nil && reps[0].ID == def.ID {
			log.Warn("serving the embedded sample report only: index reports with govbot index, set --index-if-missing DIR (or GOVBOT_REPORTS), or --corpus builtin (GOVBOT_CORPUS=builtin)", "data", dir)
		}
	}
	addr := orEnv(*listen, "GOVBOT_LISTEN")
	switch addr {
	case "":
		addr = "127.0.0.1:8080"
	case "-":
		addr = ""
	}

	cfg := bot.Config{
		Token:         tok,
		APIURL:        orEnv(*apiURL, "TELEGRAM_API_URL"),
		WebhookURL:    orEnv(*webhookURL, "TELEGRAM_WEBHOOK_URL"),
		WebhookSecret: orEnv(*webhookSecret, "TELEGRAM_WEBHOOK_SECRET"),
		Listen:        addr,
		MetricsListen: orEnv(*metricsListen, "GOVBOT_METRICS_LISTEN"),
		MetricsToken:  orEnv(*metricsToken, "GOVBOT_METRICS_TOKEN"),
		Logger:        log,
	}
	if *withWeb && addr != "" {
		pages, err := web.New(eng, wf.options(log))
		if err != nil {
			return err
		}
		cfg.Pages = pages
	}
	if *maxSendWait == 0 {
		if v := e.getenv("GOVBOT_MAX_SEND_WAIT"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				return fmt.Errorf("%w: GOVBOT_MAX_SEND_WAIT: %v", errUsage, err)
			}
			*maxSendWait = d
		}
	}
	cfg.Sender.Retry.MaxWait = *maxSendWait
	s, err := bot.New(cfg, eng)
	if err != nil {
		return err
	}
	stopAnnouncements, err := startAnnouncements(ctx, e, log, dir, ix, eng, s, af)
	if err != nil {
		return err
	}
	defer stopAnnouncements()
	log.Info("govbot serve", "data", dir, "reports", len(eng.Reports()), "listen", cfg.Listen)
	return s.Run(ctx)
}

// indexIfMissing builds the index in dir from the reports in src, with the
// index command, when dir holds none, or only the embedded sample report
// that serve seeds an empty directory with. It is what a container runs on its
// first start with an empty data volume.
func indexIfMissing(ctx context.Context, e *env, log *slog.Logger, dir, src string) error {
	if has, err := hasOwnIndex(dir); err != nil || has {
		return err
	}
	c, ok := program.Commands["index"]
	if !ok {
		return errors.New("--index-if-missing: this build has no index command")
	}
	log.Info("no index yet: building it", "data", dir, "reports", src)
	if err := c.Run(ctx, e, []string{"--data", dir, src}); err != nil {
		return fmt.Errorf("--index-if-missing: %w", err)
	}
	return nil
}

// hasOwnIndex reports whether dir holds an index with reports of its own,
// not just the embedded sample.
func hasOwnIndex(dir string) (bool, error) {
	ix, err := index.Open(dir)
	if errors.Is(err, index.ErrNoIndex) || errors.Is(err, index.ErrIncomplete) {
		return false, nil // an interrupted first build is built again
	}
	if err != nil {
		return false, fmt.Errorf("open index in %s: %w", dir, err)
	}
	reps := ix.Reports()
	if err := ix.Close(); err != nil {
		return false, fmt.Errorf("close index in %s: %w", dir, err)
	}
	if len(reps) != 1 {
		return len(reps) > 0, nil
	}
	def, err := answer.DefaultReport()
	if err != nil {
		return false, fmt.Errorf("default report: %w", err)
	}
	return reps[0].ID != def.ID, nil
}

// serveGCPercent is the garbage collector target that serve sets when the
// environment sets neither GOGC nor GOMEMLIMIT. Over the 117 shared reports
// the live heap is about 21 MiB; with the default GOGC=100 the heap grew to
// about 42 MiB between collections, which put the process's peak RSS (with
// the 20 MiB dictionary kept off the Go heap and the mapped binary and
// index) at 97–99 MiB against a 100 MiB target. A lower GOGC scales with the
// live heap, at the cost of collecting twice as often, which did not show in
// the CPU time measured.
const serveGCPercent = 50

// serveHeapBase is the part of serve's soft memory limit that is not the
// index's caches: the catalog list, the answer engine's paragraph and
// document-frequency caches, spare search accumulators and a question's
// transient data. Over 10,000 replicated reports they are ~55 MiB live.
// At 96 MiB, with the caches' defaults of 2026-12-03 (48 + 32 MiB), a
// serve-like process over 10,000 reports reached 425 MiB after 2,000
// questions (206 MiB anonymous, 219 MiB of mapped index); at 64 MiB 395 MiB,
// the collector taking ~15 % more CPU; at 48 MiB it ran all the time.
const serveHeapBase = 64 << 20

// serveMemoryLimit is the soft memory limit (runtime/debug.SetMemoryLimit)
// serve sets when the environment sets neither GOGC nor GOMEMLIMIT: the
// caches' bounds (the report cache's decoded paragraphs take about 5/4 of
// what it counts) plus serveHeapBase, 156 MiB with the default caches. It
// caps the heap's growth between collections and makes the runtime return
// freed memory to the system at once, where GOGC alone lets a heap of 130
// MiB live reach ~220 MiB of RSS (docs/performance.md, 2026-12-03). It is
// configuration, like the caches, not corpus size; should the live heap
// outgrow it (a far larger corpus), the collector runs more often (the
// runtime caps it at half the CPU) rather than failing: raise the limit
// with GOMEMLIMIT then.
func serveMemoryLimit(reportCacheBytes int64, postingsCacheBytes int) int64 {
	return reportCacheBytes*5/4 + int64(postingsCacheBytes) + serveHeapBase
}

// setServeGC sets serveGCPercent and serveMemoryLimit (from the index's
// cache bounds as configured, so after cacheFlags.apply) unless the
// environment tunes the collector itself (GOGC or GOMEMLIMIT, which the
// runtime has applied already), and returns a func that restores the
// previous settings.
func setServeGC(e *env, log *slog.Logger) (restore func()) {
	if e.getenv("GOGC") != "" || e.getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := serveMemoryLimit(index.DefaultReportCacheBytes, index.DefaultPostingsCacheBytes)
	prev := debug.SetGCPercent(serveGCPercent)
	prevLimit := debug.SetMemoryLimit(limit)
	log.Debug("GC target and soft memory limit set (GOGC or GOMEMLIMIT override them)", "percent", serveGCPercent, "limit_mib", limit>>20)
	return func() {
		debug.SetGCPercent(prev)
		debug.SetMemoryLimit(prevLimit)
	}
}
