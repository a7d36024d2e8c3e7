package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/source"
	"github.com/govbot/govbot/store"
)

func init() {
	register(&command{Name: "add", Summary: "add one report (file or URL: text, HTML, PDF or Word .docx) to the index without rebuilding it", Run: runAdd})
}

func runAdd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	data := fs.String("data", "", "data directory (env GOVBOT_DATA)")
	stateSpec := storeFlag(fs)
	noAnnounce := fs.Bool("no-announce", false, "index and record the report without queueing announcements")
	timeout := fs.Duration("timeout", source.DefaultTimeout, "time limit for fetching a URL")
	maxSize := fs.Int64("max-size", source.DefaultMaxBytes, "size limit for a fetched page, in bytes")
	corpusF := corpusFlag(fs)
	noManifest := fs.Bool("no-manifest", false, "ignore a "+corpus.ManifestName+" beside the file")
	allowPrivate := fs.Bool("allow-private", false, "let a URL (and its redirects) reach loopback, private and link-local addresses: for intranet sites only")
	var meta metaFlags
	meta.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: govbot add [--data DIR] [--store URL] [--title T --issuer I --date YYYY-MM-DD --url U --id ID] [--no-announce] FILE|URL")
		fmt.Fprintln(e.stderr, "\nAdds one report to the index: plain text (UTF-8 or GB18030/GBK), an HTML page as government")
		fmt.Fprintln(e.stderr, "sites publish it (article body and disclosure table are extracted), or a PDF or Word (.docx)")
		fmt.Fprintln(e.stderr, "attachment (text in reading order; legacy .doc/.wps must be saved as .docx or PDF first).")
		fmt.Fprintln(e.stderr, "The same report added again is recognised (same text, 索引号 or URL); a revised text replaces")
		fmt.Fprintln(e.stderr, "the old one. New reports are queued for announcement to subscribed chats; govbot serve")
		fmt.Fprintln(e.stderr, "delivers them. A "+corpus.ManifestName+" beside the file supplies its metadata; the flags override")
		fmt.Fprintln(e.stderr, "it. Adding the same text again with --title/--issuer/--date/--url corrects the metadata (a new revision).")
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
		if !*noManifest {
			mm, err := manifestMeta(arg)
			if err != nil {
				return err
			}
			m = mm.Override(m)
		}
	}
	doc.Meta = m

	dir := dataDir(e, *data)
	choice, err := corpusChoice(e, *corpusF, *data)
	if err != nil {
		return err
	}
	if err := prepareData(ctx, e, dir, choice); err != nil {
		return err
	}
	ix, st, err := openForIngest(ctx, e, dir, *stateSpec)
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
	warnMissingMeta(e, res.Report, arg, *data)
	return nil
}

// manifestMeta returns the metadata a MANIFEST.tsv beside path gives for
// it; none when there is no manifest or it does not list the file.
func manifestMeta(path string) (corpus.Meta, error) {
	mp := filepath.Join(filepath.Dir(path), corpus.ManifestName)
	if !fileExists(mp) {
		return corpus.Meta{}, nil
	}
	man, err := corpus.LoadManifest(mp)
	if err != nil {
		return corpus.Meta{}, fmt.Errorf("%w (pass --no-manifest to ignore it)", err)
	}
	return man[filepath.Base(path)], nil
}

// warnMissingMeta says on stderr which metadata the report was added
// without, and how to set it.
func warnMissingMeta(e *env, r *corpus.Report, arg, dataFlag string) {
	var missing, flags []string
	if r.Issuer == "" {
		missing, flags = append(missing, "issuer (发布机构)"), append(flags, "--issuer 某某人民政府")
	}
	if r.Published.IsZero() {
		what := "date"
		if r.Year != 0 {
			what = fmt.Sprintf("date (only the year %d)", r.Year)
		}
		missing, flags = append(missing, what), append(flags, "--date YYYY-MM-DD")
	}
	if r.Title == "" {
		missing, flags = append(missing, "title"), append(flags, "--title 标题")
	}
	if len(missing) == 0 {
		return
	}
	if dataFlag != "" {
		flags = append([]string{"--data " + dataFlag}, flags...)
	}
	fmt.Fprintf(e.stderr, "govbot add: %s: could not determine the %s from the text; it is indexed without. To set it, add it again:\n  govbot add %s %s\n",
		r.ID, strings.Join(missing, ", "), strings.Join(flags, " "), arg)
}

// openForIngest opens the index in dir (creating one holding the embedded
// sample report if there is none yet, as govbot serve does) and the state
// store: the file beside it, or the one --store (stateSpec) names.
func openForIngest(ctx context.Context, e *env, dir, stateSpec string) (*index.Index, store.Backend, error) {
	// The state first: the file's lock gives the clearer error when govbot
	// serve has the data directory open.
	st, _, err := openState(ctx, e, stateSpec, dir, "govbot serve is probably running on "+dir+"; stop it, or put the file in a folder source it watches")
	if err != nil {
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
