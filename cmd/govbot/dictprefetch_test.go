package main

import (
	"testing"

	"github.com/govbot/govbot/cmd/govbot/internal/dictprefetch"
)

// TestDictPrefetchCommands checks that the commands dictprefetch starts the
// dictionary for exist (a renamed command would silently lose it).
func TestDictPrefetchCommands(t *testing.T) {
	for name := range dictprefetch.Commands {
		if program.Commands[name] == nil {
			t.Errorf("dictprefetch names %q, which is not a govbot command", name)
		}
	}
}
