package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
)

func init() {
	register(&command{Name: "index", Summary: "build or refresh the index from report files or folders", Run: runIndex})
}

func runIndex(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	data := fs.String("data", "", "data directory for the index (env GOVBOT_DATA)")
	var meta metaFlags
	meta.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: govbot index [--data DIR] [--title T --issuer I --date YYYY-MM-DD --url U] DIR|FILE...")
		fmt.Fprintln(e.stderr, "A folder is read with its MANIFEST.tsv if it has one; the metadata flags apply to single files.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("%w: index needs report files or folders", errUsage)
	}
	m, err := meta.meta()
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	dir := dataDir(e, *data)
	start := time.Now()
	b, err := index.NewBuilder(ctx, dir, index.Options{})
	if err != nil {
		return fmt.Errorf("update index in %s: %w (the previous index is unchanged)", dir, err)
	}
	// The reports are parsed a part at a time, ahead of the part being
	// indexed, and let go once indexed: memory holds two parts, not the
	// corpus.
	parts := make(chan []*corpus.Report, 1)
	pctx, stopParsing := context.WithCancel(ctx)
	defer stopParsing()
	var failed []error
	go func() {
		defer close(parts)
		failed = streamReports(pctx, fs.Args(), m, indexPartBytes, parts)
	}()
	var st index.UpdateStats
	read := 0
	for part := range parts {
		read += len(part)
		if err != nil {
			continue // drain the parser
		}
		pst, aerr := b.Add(ctx, part...)
		st.Added, st.Updated, st.Unchanged = st.Added+pst.Added, st.Updated+pst.Updated, st.Unchanged+pst.Unchanged
		st.Paragraphs, st.Bytes = st.Paragraphs+pst.Paragraphs, st.Bytes+pst.Bytes
		if err = aerr; err != nil {
			stopParsing()
		}
	}
	for _, err := range failed {
		fmt.Fprintf(e.stderr, "skipped: %v\n", err)
	}
	if err == nil && read == 0 {
		err = errors.New("no report could be read")
	}
	if err == nil {
		err = ctx.Err() // interrupted while parsing: not a whole update
	}
	if err != nil {
		b.Abort()
		return fmt.Errorf("update index in %s: %w (the previous index is unchanged)", dir, err)
	}
	if _, err := b.Commit(ctx); err != nil {
		return fmt.Errorf("update index in %s: %w (the previous index is unchanged)", dir, err)
	}
	el := time.Since(start)
	mbps := float64(st.Bytes) / 1e6 / el.Seconds()
	fmt.Fprintf(e.stdout, "indexed into %s: %d added, %d updated, %d unchanged; %d paragraphs, %.1f MB in %s (%.2f MB/s)\n",
		dir, st.Added, st.Updated, st.Unchanged, st.Paragraphs, float64(st.Bytes)/1e6, el.Round(time.Millisecond), mbps)
	if len(failed) > 0 {
		return fmt.Errorf("%d file(s) could not be read (see above); the others were indexed", len(failed))
	}
	return nil
}

// indexPartBytes is the text volume of reports parsed and handed to the
// index at a time: a few of the index's batches, so that its pipeline
// (analysing one batch while bleve builds the previous) runs full, while
// the whole corpus is never in memory.
const indexPartBytes = 16 << 20

// streamReports parses the report files and folders of args (metadata m
// for single files; a folder's MANIFEST.tsv for its files) and sends them
// on parts, about partBytes of paragraph text at a time. It returns the
// files that could not be read.
func streamReports(ctx context.Context, args []string, m corpus.Meta, partBytes int, parts chan<- []*corpus.Report) []error {
	var failed []error
	var part []*corpus.Report
	size := 0
	emit := func(r *corpus.Report) {
		part = append(part, r)
		for i := range r.Paragraphs {
			size += len(r.Paragraphs[i].Text)
		}
		if size >= partBytes {
			parts <- part
			part, size = nil, 0
		}
	}
	for _, arg := range args {
		if ctx.Err() != nil {
			break
		}
		st, err := os.Stat(arg)
		if err != nil {
			failed = append(failed, err)
			continue
		}
		if st.IsDir() {
			failed = append(failed, streamDir(ctx, arg, emit)...)
			continue
		}
		fm := m
		if mp := filepath.Join(filepath.Dir(arg), corpus.ManifestName); fileExists(mp) {
			if man, err := corpus.LoadManifest(mp); err == nil {
				if mm, ok := man[filepath.Base(arg)]; ok {
					fm = mm.Override(m)
				}
			}
		}
		r, err := corpus.ParseFile(arg, fm)
		if err != nil {
			failed = append(failed, err)
			continue
		}
		emit(r)
	}
	if len(part) > 0 {
		parts <- part
	}
	return failed
}

// streamDir parses a folder's reports as corpus.LoadDir does, one at a
// time: its .txt files in name order, with their MANIFEST.tsv metadata;
// files the manifest lists but the folder lacks are errors.
func streamDir(ctx context.Context, dir string, emit func(*corpus.Report)) []error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return []error{fmt.Errorf("load %s: %w", dir, err)}
	}
	manifest := map[string]corpus.Meta{}
	if mp := filepath.Join(dir, corpus.ManifestName); fileExists(mp) {
		if manifest, err = corpus.LoadManifest(mp); err != nil {
			return []error{err}
		}
	}
	var errs []error
	names := map[string]bool{}
	for _, e := range entries { // os.ReadDir sorts by name
		if ctx.Err() != nil {
			return errs
		}
		if !e.Type().IsRegular() || !strings.EqualFold(filepath.Ext(e.Name()), ".txt") {
			continue
		}
		names[e.Name()] = true
		r, err := corpus.ParseFile(filepath.Join(dir, e.Name()), manifest[e.Name()])
		if err != nil {
			errs = append(errs, fmt.Errorf("load %s: %w", dir, err))
			continue
		}
		emit(r)
	}
	var missing []string
	for name := range manifest {
		if !names[name] && !fileExists(filepath.Join(dir, name)) {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	for _, name := range missing {
		errs = append(errs, fmt.Errorf("load %s: %s listed in %s: %w", dir, name, corpus.ManifestName, iofs.ErrNotExist))
	}
	return errs
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// metaFlags are the report metadata flags shared by index and add.
type metaFlags struct {
	title, issuer, date, url, id string
}

func (m *metaFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.title, "title", "", "report title (overrides the text)")
	fs.StringVar(&m.issuer, "issuer", "", "issuer, e.g. 房县人民政府 (overrides the text)")
	fs.StringVar(&m.date, "date", "", "publication date YYYY-MM-DD (overrides the text)")
	fs.StringVar(&m.url, "url", "", "source link")
	fs.StringVar(&m.id, "id", "", "report ID (default: file name without extension)")
}

func (m *metaFlags) meta() (corpus.Meta, error) {
	out := corpus.Meta{Title: m.title, Issuer: m.issuer, URL: m.url, ID: m.id}
	if m.date != "" {
		t, err := time.Parse("2006-01-02", m.date)
		if err != nil {
			return out, fmt.Errorf("--date %q: want YYYY-MM-DD", m.date)
		}
		out.Published, out.Year = t, t.Year()
	}
	return out, nil
}

// cacheFlags bound the caches an index keeps between questions.
type cacheFlags struct {
	reportMB, postingsMB int
}

func (c *cacheFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&c.reportMB, "report-cache-mb", 0, "MiB of parsed reports kept between questions (default $GOVBOT_REPORT_CACHE_MB, else 48)")
	fs.IntVar(&c.postingsMB, "postings-cache-mb", 0, "MiB of decoded postings of frequent words kept between questions (default $GOVBOT_POSTINGS_CACHE_MB, else 32)")
}

// apply sets the index package's cache bounds from the flags or the
// environment.
func (c *cacheFlags) apply(e *env) error {
	for _, f := range []struct {
		v    int
		name string
		set  func(int)
	}{
		{c.reportMB, "GOVBOT_REPORT_CACHE_MB", func(n int) { index.DefaultReportCacheBytes = int64(n) << 20 }},
		{c.postingsMB, "GOVBOT_POSTINGS_CACHE_MB", func(n int) { index.DefaultPostingsCacheBytes = n << 20 }},
	} {
		n := f.v
		if n == 0 {
			if s := e.getenv(f.name); s != "" {
				var err error
				if n, err = strconv.Atoi(s); err != nil || n < 0 {
					return fmt.Errorf("%w: %s=%q: want a number of MiB", errUsage, f.name, s)
				}
			}
		}
		if n < 0 {
			return fmt.Errorf("%w: cache size %d MiB: want 0 or more", errUsage, n)
		}
		if n > 0 {
			f.set(n)
		}
	}
	return nil
}
