package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
)

func init() {
	register(&command{name: "index", summary: "build or refresh the index from report files or folders", run: runIndex})
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
	var reports []*corpus.Report
	var failed []error
	for _, arg := range fs.Args() {
		st, err := os.Stat(arg)
		if err != nil {
			failed = append(failed, err)
			continue
		}
		if st.IsDir() {
			reps, errs := corpus.LoadDir(arg)
			reports = append(reports, reps...)
			failed = append(failed, errs...)
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
		reports = append(reports, r)
	}
	for _, err := range failed {
		fmt.Fprintf(e.stderr, "skipped: %v\n", err)
	}
	if len(reports) == 0 {
		return errors.New("no report could be read; the index is unchanged")
	}
	dir := dataDir(e, *data)
	start := time.Now()
	st, err := index.Update(ctx, dir, reports)
	if err != nil {
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
