package main

import (
	"io"
	"log/slog"
	"runtime/debug"
	"testing"
)

// TestServeMemoryLimit checks that serve's default memory limit applies only
// when GOMEMLIMIT is unset, and that the previous limit comes back.
func TestServeMemoryLimit(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	before := debug.SetMemoryLimit(-1)
	tests := []struct {
		name string
		env  map[string]string
		want int64
	}{
		{"unset", nil, serveMemoryLimit},
		{"set by the user", map[string]string{"GOMEMLIMIT": "200MiB"}, before},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &env{getenv: func(k string) string { return tt.env[k] }}
			restore := setServeMemoryLimit(e, log)
			if got := debug.SetMemoryLimit(-1); got != tt.want {
				t.Errorf("limit while serving = %d, want %d", got, tt.want)
			}
			restore()
			if got := debug.SetMemoryLimit(-1); got != before {
				t.Errorf("limit after serving = %d, want %d", got, before)
			}
		})
	}
}
