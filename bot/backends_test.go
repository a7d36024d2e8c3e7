package bot

import (
	"context"
	"sync"
	"testing"

	"github.com/govbot/govbot/internal/pgtest"
	"github.com/govbot/govbot/store"
	"github.com/govbot/govbot/store/postgres"
)

// stateBackends are the state stores tests of the announcer run on: the
// embedded bbolt file and PostgreSQL (a throwaway server, started by the
// first test that asks and stopped by TestMain). Each open makes a fresh,
// empty state closed at the end of the test.
var stateBackends = []struct {
	name string
	open func(t *testing.T) store.Backend
}{
	{"bbolt", func(t *testing.T) store.Backend { return tempStore(t) }},
	{"postgres", func(t *testing.T) store.Backend {
		pgOnce.Do(func() { pgServer, pgErr = pgtest.Start() })
		st, err := postgres.Open(context.Background(), pgtest.DB(t, pgServer, pgErr), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}},
}

var (
	pgOnce   sync.Once
	pgServer *pgtest.Server
	pgErr    error
)

// stopPG stops the PostgreSQL server if a test started it.
func stopPG() {
	if pgServer != nil {
		pgServer.Stop()
	}
}
