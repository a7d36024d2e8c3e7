package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/govbot/govbot/store"
	"github.com/govbot/govbot/store/storetest"
)

// TestConformance runs the suite every Backend passes on the bbolt file.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) func() store.Backend {
		path := filepath.Join(t.TempDir(), store.FileName)
		return func() store.Backend {
			s, err := store.Open(path, &store.Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	})
}
