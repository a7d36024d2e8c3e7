package postgres

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"

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
	if err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE govbot_meta SET value = '999' WHERE key = 'schema_version'`)
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
	for _, spec := range []string{
		"postgres://govbot:secret@db.example:5433/state",
		"host=db.example port=5433 user=govbot password=secret dbname=state",
	} {
		db, where, err := connect(spec)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		if want := "postgres://govbot@db.example:5433/state"; where != want {
			t.Errorf("connect(%q) names the database %q, want %q (never with the password)", spec, where, want)
		}
	}
}

// TestStringRedacts: an open store names its database without the
// password.
func TestStringRedacts(t *testing.T) {
	url := pgtest.DB(t, server, startErr)
	cfg, err := pq.NewConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	s := openDB(t, strings.Replace(url, "govbot@", "govbot:hunter2@", 1), nil)
	if got := s.String(); strings.Contains(got, "hunter2") || !strings.HasSuffix(got, "/"+cfg.Database) {
		t.Errorf("String() = %q, want the database named without its password", got)
	}
}

// TestConnectErrorsRedactPassword: errors parsing a connection string
// never quote its password, however it is malformed.
func TestConnectErrorsRedactPassword(t *testing.T) {
	const pw = "s3cr3t"
	for _, spec := range []string{
		"postgres://govbot:" + pw + "@db.example:54x2/state",
		"postgres://govbot:" + pw + "@db.example/state?port=abc",
		"postgres://govbot:" + pw + "@db.example/state?pool_max_conns=0",
		"host=db.example password=" + pw + " port=abc",
		"host=db.example password=" + pw + " " + pw + "b",
		"host=db.example password='" + pw,
		"host=db.example port=5432 sslmode=bogus password=" + pw,
	} {
		_, _, err := connect(spec)
		if err == nil {
			t.Errorf("connect(%q) succeeded, want a parse error", spec)
			continue
		}
		if strings.Contains(err.Error(), pw) {
			t.Errorf("connect(%q) error quotes the password: %v", spec, err)
		}
	}
}

func TestPoolConfig(t *testing.T) {
	def := poolConfig{maxConns: max(4, runtime.NumCPU()), maxLifetime: time.Hour, maxIdleTime: 30 * time.Minute}
	tests := []struct {
		params  map[string]string
		want    poolConfig
		wantErr bool
	}{
		{map[string]string{}, def, false},
		{map[string]string{"search_path": "govbot"}, def, false},
		{map[string]string{"pool_max_conns": "10", "pool_max_conn_lifetime": "90m", "pool_max_conn_idle_time": "1m"},
			poolConfig{maxConns: 10, maxLifetime: 90 * time.Minute, maxIdleTime: time.Minute}, false},
		{map[string]string{"pool_max_conns": "0"}, poolConfig{}, true},
		{map[string]string{"pool_max_conns": "many"}, poolConfig{}, true},
		{map[string]string{"pool_max_conn_lifetime": "1 hour"}, poolConfig{}, true},
		{map[string]string{"pool_min_conns": "2"}, poolConfig{}, true},
	}
	for _, tt := range tests {
		params := map[string]string{}
		for k, v := range tt.params {
			params[k] = v
		}
		got, err := takePoolConfig(params)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("takePoolConfig(%v) = %+v, %v; want %+v, error %v", tt.params, got, err, tt.want, tt.wantErr)
		}
		for k := range params {
			if strings.HasPrefix(k, "pool_") {
				t.Errorf("takePoolConfig(%v) left %s for the server", tt.params, k)
			}
		}
	}
}

// TestPoolBound: the pool opens at most pool_max_conns connections.
func TestPoolBound(t *testing.T) {
	url := pgtest.DB(t, server, startErr)
	s := openDB(t, url+"&pool_max_conns=2", nil)
	if got := s.db.Stats().MaxOpenConnections; got != 2 {
		t.Errorf("MaxOpenConnections = %d, want 2", got)
	}
	if _, err := s.Subscriptions(); err != nil {
		t.Error(err)
	}
}

// TestMicrosecondTimes: times are kept to the microsecond, truncated, in
// UTC, whatever the zone and nanoseconds they come with; Due and
// SentSince compare at the same precision.
func TestMicrosecondTimes(t *testing.T) {
	zone := time.FixedZone("UTC+8", 8*3600)
	now := time.Date(2026, 3, 5, 17, 0, 0, 123456789, zone)
	want := time.Date(2026, 3, 5, 9, 0, 0, 123456000, time.UTC)
	s := openDB(t, pgtest.DB(t, server, startErr), func() time.Time { return now })
	if _, err := s.PutReport(store.ReportRecord{ID: "r"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Enqueue("r", 1); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Deliveries("r")
	if err != nil || len(ds) != 1 {
		t.Fatalf("Deliveries = %v, %v", ds, err)
	}
	if d := ds[0]; d.Created != want || d.Updated != want || d.NextAttempt != want {
		t.Errorf("times read back: created %v, updated %v, next %v; want %v", d.Created, d.Updated, d.NextAttempt, want)
	}
	// 999 ns before the due time is still 1 µs early, not due by rounding.
	if due, err := s.Due(want.Add(-time.Nanosecond), 10); err != nil || len(due) != 0 {
		t.Errorf("Due 1 ns early = %v, %v; want none", due, err)
	}
	if due, err := s.Due(want.Add(999*time.Nanosecond), 10); err != nil || len(due) != 1 {
		t.Errorf("Due 999 ns late = %v, %v; want the entry", due, err)
	}
	d, err := s.BeginSend("r", 1)
	if err == nil {
		err = s.MarkSent(d, 7)
	}
	if err != nil {
		t.Fatal(err)
	}
	if sent, err := s.SentSince(want.Add(999 * time.Nanosecond)); err != nil || len(sent) != 1 || sent[0].SentAt != want {
		t.Errorf("SentSince within the microsecond = %v, %v; want the entry sent at %v", sent, err, want)
	}
	ups, err := s.ReceiveUpdates([]store.PendingUpdate{{ID: 1, Raw: []byte(`{"update_id":1}`), Received: now}})
	if err != nil || len(ups) != 1 || ups[0].Received != want {
		t.Fatalf("ReceiveUpdates = %v, %v; want received %v", ups, err, want)
	}
	pending, err := s.PendingUpdates()
	if err != nil || len(pending) != 1 || pending[0].Received != want || string(pending[0].Raw) != `{"update_id":1}` {
		t.Errorf("PendingUpdates = %v, %v; want the update received %v", pending, err, want)
	}
}
