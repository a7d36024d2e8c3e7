package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/corpus/builtin"
	"github.com/govbot/govbot/index"
)

// What fills a data directory that has no index yet.
const (
	// corpusBuiltin builds the built-in collection (corpus/builtin: the
	// shared reports embedded in the binary) into the data directory once.
	corpusBuiltin = "builtin"
	// corpusSample answers from the embedded Fang County report, in
	// memory (ask, reports, eval), or seeds the index with it (serve, add).
	corpusSample = "sample"
)

// corpusFlag registers --corpus.
func corpusFlag(fs *flag.FlagSet) *string {
	return fs.String("corpus", "", "what a data directory with no index starts from: builtin (the built-in collection, indexed into it once) "+
		"or sample (the embedded Fang County report); default builtin for the default data directory, sample for one named "+
		"by --data or GOVBOT_DATA (env GOVBOT_CORPUS)")
}

// corpusChoice resolves --corpus: the flag, else GOVBOT_CORPUS, else
// builtin when the data directory is the default one and sample when the
// user named it (--data or GOVBOT_DATA), so that an empty folder named on
// purpose keeps giving the small sample it always gave.
func corpusChoice(e *env, flagValue, dataFlag string) (string, error) {
	v := flagValue
	if v == "" {
		v = e.getenv("GOVBOT_CORPUS")
	}
	switch v {
	case corpusBuiltin, corpusSample:
		return v, nil
	case "":
		if dataFlag == "" && e.getenv("GOVBOT_DATA") == "" {
			return corpusBuiltin, nil
		}
		return corpusSample, nil
	}
	return "", fmt.Errorf("%w: --corpus %q: want %s or %s", errUsage, v, corpusBuiltin, corpusSample)
}

// prepareData builds the built-in collection into dir when the choice is
// builtin and dir has no reports of its own.
func prepareData(ctx context.Context, e *env, dir, choice string) error {
	if choice != corpusBuiltin {
		return nil
	}
	has, err := hasOwnIndex(dir)
	if err != nil || has {
		return err
	}
	return installBuiltin(ctx, e, dir)
}

// builtinTick is how often installBuiltin reports that it is still working.
const builtinTick = 5 * time.Second

// installBuiltin indexes the built-in collection into dir, saying so on
// stderr: it is done once, on the first run with an empty data directory.
func installBuiltin(ctx context.Context, e *env, dir string) error {
	start := time.Now()
	reports, err := builtin.Reports()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "govbot: first run: indexing the built-in collection (%d reports) into %s; this is done once…\n", len(reports), dir)
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(builtinTick)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fmt.Fprintf(e.stderr, "govbot: still indexing (%s)…\n", time.Since(start).Round(time.Second))
			}
		}
	}()
	st, err := index.Update(ctx, dir, reports)
	close(done)
	<-stopped // the ticker writes to stderr too
	if err != nil {
		return fmt.Errorf("index the built-in collection into %s: %w", dir, err)
	}
	fmt.Fprintf(e.stderr, "govbot: built-in collection indexed: %d reports, %d paragraphs in %s\n",
		st.Added+st.Updated+st.Unchanged, st.Paragraphs, time.Since(start).Round(100*time.Millisecond))
	return nil
}

// openDataEngine opens the answer engine of a command that reads the data
// directory named by --data (dataFlag) with the corpus chosen by --corpus
// (corpusFlag): ask, eval, reports, web.
func openDataEngine(ctx context.Context, e *env, corpusFlag, dataFlag string) (*answer.Engine, error) {
	choice, err := corpusChoice(e, corpusFlag, dataFlag)
	if err != nil {
		return nil, err
	}
	dir := dataDir(e, dataFlag)
	warnMissingData(e, dataFlag, dir)
	return openEngine(ctx, e, dir, choice)
}

// openEngine opens the answer engine on dir. With the builtin choice and no
// reports of dir's own (no index, or only the sample), it indexes the
// built-in collection first: the engine is opened once in the common case
// of an index already there.
func openEngine(ctx context.Context, e *env, dir, choice string) (*answer.Engine, error) {
	eng, err := answer.Open(dir)
	if err != nil || choice != corpusBuiltin {
		return eng, err
	}
	if reps := eng.Reports(); len(reps) > 1 || len(reps) == 1 && !isSample(reps[0].ID) {
		return eng, nil
	}
	if err := eng.Close(); err != nil {
		return nil, err
	}
	if err := installBuiltin(ctx, e, dir); err != nil {
		return nil, err
	}
	return answer.Open(dir)
}

// isSample reports whether id is the embedded sample report's.
func isSample(id string) bool {
	def, err := answer.DefaultReport()
	return err == nil && def.ID == id
}
