package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/govbot/govbot/internal/cli"
	"github.com/govbot/govbot/web"
)

func init() {
	register(&command{Name: "web", Summary: "serve the question page, the reports and the JSON API over HTTP", Run: runWeb})
}

func runWeb(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("web", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	listen := fs.String("listen", "", "address to listen on (default $GOVBOT_LISTEN, else 127.0.0.1:8080)")
	data := fs.String("data", "", "data directory with the index (env GOVBOT_DATA); see --corpus for one with no index")
	corpusF := corpusFlag(fs)
	var wf webFlags
	wf.register(fs)
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: govbot web [--listen ADDR] [--data DIR] [--corpus builtin|sample]\n\nServes / (questions), /reports, /reports/{id} and /api/ask?q=, /api/reports, /api/reports/{id}.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := cli.ParseNoArgs(fs, args); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("%w: --log-level: %v", errUsage, err)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	addr := *listen
	if addr == "" {
		addr = e.getenv("GOVBOT_LISTEN")
	}
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	// As ask and serve: a data directory with no index starts from the
	// built-in collection or the sample (--corpus, GOVBOT_CORPUS).
	eng, err := openDataEngine(ctx, e, *corpusF, *data)
	if err != nil {
		return err
	}
	defer eng.Close()
	dir := dataDir(e, *data)
	// Set after any first-run indexing, as serve does.
	defer setServeGC(e, log)()
	if reps := eng.Reports(); len(reps) == 1 && isSample(reps[0].ID) {
		log.Warn("serving the embedded sample report only: index reports with govbot index, or --corpus builtin (GOVBOT_CORPUS=builtin)", "data", dir)
	}
	h, err := web.New(eng, wf.options(log))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := web.NewHTTPServer(addr, h)
	log.Info("govbot web", "data", dir, "reports", len(eng.Reports()), "url", "http://"+ln.Addr().String()+"/")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}

// webFlags are the web front end's limits, shared by web and serve.
type webFlags struct {
	rate  float64
	burst int
}

func (f *webFlags) register(fs *flag.FlagSet) {
	fs.Float64Var(&f.rate, "web-rate", 4, "requests per second each client address may make to the web pages and API, after a burst; 0 for no limit")
	fs.IntVar(&f.burst, "web-burst", 40, "burst of requests each client address may make")
}

func (f *webFlags) options(log *slog.Logger) web.Options {
	o := web.Options{Logger: log, RateBurst: f.burst}
	if f.rate <= 0 {
		o.RateBurst = -1
	} else {
		o.RateEvery = time.Duration(float64(time.Second) / f.rate)
	}
	return o
}
