package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/govbot/govbot/internal/cli"
	"github.com/govbot/govbot/source"
)

func init() {
	register(&command{Name: "watch", Summary: "poll the configured sources (listing pages, folders) and ingest new reports", Run: runWatch})
}

// sourcesConfigPath resolves the sources config: the flag, then
// GOVBOT_SOURCES, then DATA/sources.json.
func sourcesConfigPath(e *env, flagValue, dir string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := e.getenv("GOVBOT_SOURCES"); v != "" {
		return v
	}
	return filepath.Join(dir, "sources.json")
}

func runWatch(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	data := fs.String("data", "", "data directory (env GOVBOT_DATA)")
	stateSpec := storeFlag(fs)
	config := fs.String("config", "", "sources config file (default $GOVBOT_SOURCES, else DATA/sources.json)")
	once := fs.Bool("once", false, "do one round and exit")
	noAnnounce := fs.Bool("no-announce", false, "index and record new reports without queueing announcements")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: govbot watch [--once] [--config FILE] [--data DIR] [--store URL] [--no-announce]")
		fmt.Fprintln(e.stderr, "\nPolls the sources listed in the config file, ingests new reports and queues their")
		fmt.Fprintln(e.stderr, "announcements (govbot serve delivers them, and also polls by itself).")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cli.NoArgs(fs); err != nil {
		return err
	}
	dir := dataDir(e, *data)
	cfg, err := source.LoadConfig(sourcesConfigPath(e, *config, dir))
	if err != nil {
		return err
	}
	ix, st, err := openForIngest(ctx, e, dir, *stateSpec)
	if err != nil {
		return err
	}
	defer st.Close()
	defer ix.Close()
	w := &source.Watcher{
		Sources:  cfg.Sources,
		Store:    st,
		Ingester: &source.Ingester{Index: ix, Store: st, Announce: !*noAnnounce},
		Log:      slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		OnIngest: func(g source.Ingested) {
			fmt.Fprintf(e.stdout, "%s: %s (%s)\n", g.Source, g.Result, g.Link)
		},
	}
	if !*once {
		return w.Run(ctx, cfg.Interval)
	}
	got, err := w.Round(ctx)
	fmt.Fprintf(e.stdout, "watch: %d sources polled, %d reports ingested\n", len(cfg.Sources), len(got))
	if err != nil {
		return fmt.Errorf("some sources failed (the others were ingested):\n%w", err)
	}
	return nil
}
