package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/source"
	"github.com/govbot/govbot/store"
)

func init() {
	register(&command{name: "add", summary: "add one report (file or URL, text or HTML) to the index without rebuilding it", run: runAdd})
}

func runAdd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	data := fs.String("data", "", "data directory (env GOVBOT_DATA)")
	noAnnounce := fs.Bool("no-announce", false, "index and record the report without queueing announcements")
	timeout := fs.Duration("timeout", source.DefaultTimeout, "time limit for fetching a URL")
	maxSize := fs.Int64("max-size", source.DefaultMaxBytes, "size limit for a fetched page, in bytes")
	allowPrivate := fs.Bool("allow-private", false, "let a URL (and its redirects) reach loopback, private and link-local addresses: for intranet sites only")
	var meta metaFlags
	meta.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: govbot add [--data DIR] [--title T --issuer I --date YYYY-MM-DD --url U --id ID] [--no-announce] FILE|URL")
		fmt.Fprintln(e.stderr, "\nAdds one report to the index: plain text (UTF-8 or GB18030/GBK) or an HTML page as government")
		fmt.Fprintln(e.stderr, "sites publish it (article body and disclosure table are extracted). The same report added again")
		fmt.Fprintln(e.stderr, "is recognised (same text, 索引号 or URL); a revised text replaces the old one. New reports are")
		fmt.Fprintln(e.stderr, "queued for announcement to subscribed chats; govbot serve delivers them.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: add takes one FILE or URL", errUsage)
	}
	m, err := meta.meta()
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	arg := fs.Arg(0)
	var doc source.Document
	if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
		page, err := source.Fetch(ctx, arg, &source.FetchOptions{Timeout: *timeout, MaxBytes: *maxSize, AllowPrivate: *allowPrivate})
		if err != nil {
			return err
		}
		doc = source.Document{Name: arg, Data: page.Body, ContentType: page.ContentType, URL: arg}
	} else {
		b, err := os.ReadFile(arg)
		if err != nil {
			return err
		}
		doc = source.Document{Name: arg, Data: b}
	}
	doc.Meta = m

	dir := dataDir(e, *data)
	ix, st, err := openForIngest(ctx, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	defer ix.Close()
	in := &source.Ingester{Index: ix, Store: st, Announce: !*noAnnounce}
	start := time.Now()
	res, err := in.Ingest(ctx, doc)
	if err != nil {
		return fmt.Errorf("%w (nothing was changed)", err)
	}
	fmt.Fprintf(e.stdout, "%s [%s]\n", res, time.Since(start).Round(time.Millisecond))
	return nil
}

// openForIngest opens the index in dir (creating one holding the embedded
// sample report if there is none yet, as govbot serve does) and the state
// file beside it.
func openForIngest(ctx context.Context, dir string) (*index.Index, *store.Store, error) {
	// The state file first: its lock gives the clearer error when govbot
	// serve has the data directory open.
	st, err := store.OpenDir(dir, nil)
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			return nil, nil, fmt.Errorf("%w: govbot serve is probably running on %s; stop it, or put the file in a folder source it watches", err, dir)
		}
		return nil, nil, err
	}
	if err := ensureIndex(ctx, dir); err != nil {
		st.Close()
		return nil, nil, err
	}
	ix, err := index.Open(dir)
	if err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("open index in %s: %w", dir, err)
	}
	return ix, st, nil
}
