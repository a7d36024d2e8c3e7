package main

import (
	"io"
	"log/slog"
	"runtime/debug"
	"testing"

	"github.com/govbot/govbot/index"
)

// gcSettings reads the collector's GC percent and soft memory limit
// without changing them.
func gcSettings() (percent int, limit int64) {
	percent = debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

// TestServeGC checks that serve's GC target and memory limit apply only
// when the user tunes neither GOGC nor GOMEMLIMIT, that the limit follows
// the caches' bounds, and that the previous settings come back.
func TestServeGC(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	beforePct, beforeLimit := gcSettings()
	defaultLimit := serveMemoryLimit(index.DefaultReportCacheBytes, index.DefaultPostingsCacheBytes)
	tests := []struct {
		name      string
		env       map[string]string
		reportMB  int64
		wantPct   int
		wantLimit int64
	}{
		{"unset", nil, 0, serveGCPercent, defaultLimit},
		{"larger report cache", nil, 512, serveGCPercent, serveMemoryLimit(512<<20, index.DefaultPostingsCacheBytes)},
		{"GOGC set by the user", map[string]string{"GOGC": "200"}, 0, beforePct, beforeLimit},
		{"GOMEMLIMIT set by the user", map[string]string{"GOMEMLIMIT": "200MiB"}, 0, beforePct, beforeLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reportMB != 0 {
				old := index.DefaultReportCacheBytes
				index.DefaultReportCacheBytes = tt.reportMB << 20
				defer func() { index.DefaultReportCacheBytes = old }()
			}
			e := &env{getenv: func(k string) string { return tt.env[k] }}
			restore := setServeGC(e, log)
			pct, limit := gcSettings()
			restore()
			if pct != tt.wantPct || limit != tt.wantLimit {
				t.Errorf("while serving: GC percent %d, limit %d; want %d, %d", pct, limit, tt.wantPct, tt.wantLimit)
			}
			if pct, limit := gcSettings(); pct != beforePct || limit != beforeLimit {
				t.Errorf("after serving: GC percent %d, limit %d; want %d, %d", pct, limit, beforePct, beforeLimit)
			}
		})
	}
	if defaultLimit < serveHeapBase+index.DefaultReportCacheBytes {
		t.Errorf("default limit %d: want the caches' bounds plus %d", defaultLimit, serveHeapBase)
	}
}
