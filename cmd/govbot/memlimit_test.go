package main

import (
	"io"
	"log/slog"
	"runtime/debug"
	"testing"
)

// TestServeGC checks that serve's GC target applies only when the user
// tunes neither GOGC nor GOMEMLIMIT, and that the previous setting comes back.
func TestServeGC(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	before := debug.SetGCPercent(100)
	debug.SetGCPercent(before)
	tests := []struct {
		name string
		env  map[string]string
		want int
	}{
		{"unset", nil, serveGCPercent},
		{"GOGC set by the user", map[string]string{"GOGC": "200"}, before},
		{"GOMEMLIMIT set by the user", map[string]string{"GOMEMLIMIT": "200MiB"}, before},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &env{getenv: func(k string) string { return tt.env[k] }}
			restore := setServeGC(e, log)
			got := debug.SetGCPercent(-1)
			debug.SetGCPercent(got)
			if got != tt.want {
				t.Errorf("GC percent while serving = %d, want %d", got, tt.want)
			}
			restore()
			got = debug.SetGCPercent(-1)
			debug.SetGCPercent(got)
			if got != before {
				t.Errorf("GC percent after serving = %d, want %d", got, before)
			}
		})
	}
}
