package postgres

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govbot/govbot/internal/pgtest"
	"github.com/govbot/govbot/store"
	"github.com/govbot/govbot/store/storetest"
)

// server is the throwaway PostgreSQL server of this package's tests; nil
// when startErr says why there is none.
var (
	server   *pgtest.Server
	startErr error
)

func TestMain(m *testing.M) {
	server, startErr = pgtest.Start()
	code := m.Run()
	if server != nil {
		server.Stop()
	}
	os.Exit(code)
}

// openDB opens the store on url, closed at the end of the test.
func openDB(t *testing.T, url string, now func() time.Time) *Store {
	t.Helper()
	s, err := Open(context.Background(), url, &Options{Now: now})
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
		url := pgtest.DB(t, server, startErr)
		return func() store.Backend { return openDB(t, url, now) }
	})
}

// TestReplicasShareOutbox: replicas opening one database at once migrate
// it once, and draining its outbox together send each entry once.
func TestReplicasShareOutbox(t *testing.T) {
	const replicas, chats = 3, 60
	url := pgtest.DB(t, server, startErr)
	stores := make([]*Store, replicas)
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() {
			s, err := Open(context.Background(), url, nil)
			if err != nil {
				t.Error(err)
				return
			}
			stores[i] = s
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for _, s := range stores {
		defer s.Close()
	}
	if _, err := stores[0].PutReport(store.ReportRecord{ID: "r", TextHash: "h"}); err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, chats)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	if _, err := stores[1].Enqueue("r", ids...); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	sent := map[int64]int{}
	for _, s := range stores {
		wg.Go(func() {
			for {
				due, err := s.Due(time.Now(), 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(due) == 0 {
					return
				}
				for _, d := range due {
					bd, err := s.BeginSend(d.ReportID, d.ChatID)
					if errors.Is(err, store.ErrStale) {
						continue
					}
					if err == nil {
						err = s.MarkSent(bd, 1)
					}
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					sent[d.ChatID]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		if sent[id] != 1 {
			t.Errorf("chat %d sent %d times, want once", id, sent[id])
		}
	}
}

// TestSchemaNewerThanBinary: a database migrated by a newer govbot is
// refused rather than written with an older idea of the tables.
func TestSchemaNewerThanBinary(t *testing.T) {
	url := pgtest.DB(t, server, startErr)
	s := openDB(t, url, nil)
	if err := s.tx(func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE govbot_meta SET value = '999' WHERE key = 'schema_version'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), url, nil); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a newer schema: err = %v", err)
	}
}

func TestIsURLAndString(t *testing.T) {
	tests := []struct {
		spec string
		want bool
	}{
		{"postgres://govbot:secret@db.example:5432/govbot", true},
		{"postgresql:///govbot?host=/run/postgresql", true},
		{"/var/lib/govbot", false},
		{"host=localhost dbname=govbot", false},
		{"mysql://x", false},
	}
	for _, tt := range tests {
		if got := IsURL(tt.spec); got != tt.want {
			t.Errorf("IsURL(%q) = %v, want %v", tt.spec, got, tt.want)
		}
	}
	cfg, err := pgxpool.ParseConfig("postgres://govbot:secret@db.example:5433/state")
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(cfg); got != "postgres://govbot@db.example:5433/state" {
		t.Errorf("describe = %q (must name the database, never the password)", got)
	}
}
