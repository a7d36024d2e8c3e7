package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/govbot/govbot/store"
	"github.com/govbot/govbot/store/storetest"
)

// openDB opens the store on dsn, closed at the end of the test.
func openDB(t *testing.T, dsn string, now func() time.Time) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, &Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestConformance runs the suite every store.Backend passes against a real
// PostgreSQL server.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) func() store.Backend {
		dsn := newDB(t)
		return func() store.Backend { return openDB(t, dsn, now) }
	})
}
