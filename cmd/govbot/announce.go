package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/bot"
	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/source"
)

// ensureIndex creates the on-disk index in dir, holding the embedded
// sample report, when dir has none. Without it the answer engine would
// fall back to an in-memory index, and reports added to it would vanish at
// the next start while the state file remembers them as indexed.
func ensureIndex(ctx context.Context, dir string) error {
	ix, err := index.Open(dir)
	if err == nil {
		return ix.Close()
	}
	if !errors.Is(err, index.ErrNoIndex) {
		return fmt.Errorf("open index in %s: %w", dir, err)
	}
	def, err := answer.DefaultReport()
	if err != nil {
		return fmt.Errorf("default report: %w", err)
	}
	if _, err := index.Update(ctx, dir, []*corpus.Report{def}); err != nil {
		return fmt.Errorf("create index in %s: %w", dir, err)
	}
	return nil
}

// parseAdmins reads admin user IDs separated by commas or spaces.
func parseAdmins(s string) ([]int64, error) {
	var out []int64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("admin %q is not a Telegram user ID", f)
		}
		out = append(out, id)
	}
	return out, nil
}

// announceFlags are serve's flags for subscriptions, announcements and
// source watching.
type announceFlags struct {
	admins  string
	sources string
	noWatch bool
	store   string
}

func (f *announceFlags) register(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&f.admins, "admins", "", "Telegram user IDs allowed /stats and /announce, comma-separated (default $GOVBOT_ADMINS; added to the sources config's admins)")
	fs.StringVar(&f.sources, "sources", "", "sources config file to watch (default $GOVBOT_SOURCES, else DATA/sources.json if it exists)")
	fs.BoolVar(&f.noWatch, "no-watch", false, "do not poll the sources (announcements queued by govbot add/watch are still delivered)")
	fs.StringVar(&f.store, "store", "", storeUsage)
}

// startAnnouncements opens the state file, registers the subscription and
// admin commands on srv, and starts the announcement broadcaster and the
// source watcher, which adds the reports it finds to ix (which eng
// follows). The returned function stops both, waits for them (the
// broadcaster records the outcome of the sends in flight) and closes the
// state file.
func startAnnouncements(ctx context.Context, e *env, log *slog.Logger, dir string, ix *index.Index, eng *answer.Engine, srv *bot.Server, f announceFlags) (func(), error) {
	admins, err := parseAdmins(f.admins + "," + e.getenv("GOVBOT_ADMINS"))
	if err != nil {
		return nil, fmt.Errorf("%w: --admins: %v", errUsage, err)
	}
	var cfg *source.Config
	path := f.sources
	if path == "" {
		path = sourcesConfigPath(e, "", dir)
	}
	if _, statErr := os.Stat(path); statErr == nil || f.sources != "" || e.getenv("GOVBOT_SOURCES") != "" {
		if cfg, err = source.LoadConfig(path); err != nil {
			return nil, err
		}
		admins = append(admins, cfg.Admins...)
	}
	st, where, err := openState(ctx, e, f.store, dir, "is another govbot serve, add or watch running on "+dir+"?")
	if err != nil {
		return nil, err
	}
	if err := st.SetAdmins(admins...); err != nil {
		st.Close()
		return nil, err
	}
	ann, err := bot.NewAnnouncer(bot.AnnouncerConfig{Store: st, Sender: srv.Sender(), Report: eng.Report, Logger: log})
	if err != nil {
		st.Close()
		return nil, err
	}
	srv.EnableAnnouncements(ann)
	srv.EnableFeedback(st) // 答案有误 / 有帮助 under every answer; /feedback for admins
	// Every received message is kept in the state file until answered, so
	// that a crash loses no question.
	srv.UseJournal(st)

	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := ann.Run(ctx); err != nil {
			log.Error("announcer stopped", "err", err)
		}
	}()
	if cfg != nil && len(cfg.Sources) > 0 && !f.noWatch {
		w := &source.Watcher{
			Sources: cfg.Sources,
			Store:   st,
			// eng follows ix: questions find a report once it is ingested.
			Ingester: &source.Ingester{Index: ix, Store: st, Announce: true},
			Log:      log,
			OnIngest: func(g source.Ingested) { ann.Ingested(g.Report.ID) },
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = w.Run(ctx, cfg.Interval)
		}()
		log.Info("watching sources", "count", len(cfg.Sources), "interval", cfg.Interval, "config", path)
	}
	log.Info("announcements enabled", "state", where, "admins", len(admins))
	return func() {
		cancel()
		wg.Wait()
		if err := st.Close(); err != nil {
			log.Warn("close state store", "err", err)
		}
	}, nil
}
