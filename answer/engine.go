package answer

import (
	"context"
	"errors"
)

// Engine answers questions over an index of reports. It is safe for
// concurrent use.
//
// NOTE(lead): provisional stub so that bot/ can compile; the real engine
// replaces the bodies, keeping these signatures.
type Engine struct{}

// ReportSummary describes one indexed report for listings (/reports, govbot reports).
type ReportSummary struct {
	ReportRef
	Paragraphs int `json:"paragraphs"`
	Figures    int `json:"figures"`
}

// Open opens the index in the data directory dir. When dir holds no index,
// it falls back to the embedded default corpus (the Fang County sample report).
func Open(dir string) (*Engine, error) { return OpenDefault() }

// OpenDefault returns an engine over the embedded default corpus, indexed in memory.
func OpenDefault() (*Engine, error) { return &Engine{}, nil }

// Close releases the index.
func (e *Engine) Close() error { return nil }

// Ask answers one question. It returns an error only when the index fails;
// a question the reports do not answer gives an Answer with Answered false.
func (e *Engine) Ask(ctx context.Context, question string) (*Answer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return nil, errors.New("answer engine not built yet")
}

// Reports lists the indexed reports, newest first.
func (e *Engine) Reports() []ReportSummary { return nil }
