package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/govbot/govbot/internal/pgtest"
	"github.com/govbot/govbot/store"
	"github.com/govbot/govbot/store/postgres"
)

// The throwaway PostgreSQL server of the --store tests, started by the
// first of them and stopped by TestMain.
var (
	pgOnce   sync.Once
	pgServer *pgtest.Server
	pgErr    error
)

// pgDB returns the URL of a fresh database on the tests' server.
func pgDB(t *testing.T) string {
	t.Helper()
	pgOnce.Do(func() { pgServer, pgErr = pgtest.Start() })
	return pgtest.DB(t, pgServer, pgErr)
}

// stopPG stops the server if a test started it.
func stopPG() {
	if pgServer != nil {
		pgServer.Stop()
	}
}

// TestStoreChoice: add records a report and queues its announcement, and
// feedback exports, in the store --store or GOVBOT_STORE names, else in the
// data directory's file; a --store that is no postgres:// URL is a usage
// error.
func TestStoreChoice(t *testing.T) {
	report := filepath.Join("..", "..", "internal", "doctext", "testdata", "longhua-fzzf.docx")
	tests := []struct {
		name string
		// spec returns the flag and environment values and the store to check.
		spec func(t *testing.T, dir string) (flagValue, envValue string, open func() store.Backend)
	}{
		{"data directory", func(t *testing.T, dir string) (string, string, func() store.Backend) {
			return "", "", func() store.Backend {
				st, err := store.OpenDir(dir, nil)
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
		}},
		{"--store", func(t *testing.T, dir string) (string, string, func() store.Backend) {
			url := pgDB(t)
			return url, "", pgOpener(t, url)
		}},
		{"GOVBOT_STORE", func(t *testing.T, dir string) (string, string, func() store.Backend) {
			url := pgDB(t)
			return "", url, pgOpener(t, url)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			flagValue, envValue, open := tt.spec(t, dir)
			st := open()
			if _, err := st.Subscribe(store.Subscription{ChatID: 7, Kind: store.KindPrivate}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.AddFeedback(store.Feedback{Helpful: true, Question: "龙华区2024年GDP", ChatID: 7, UserID: 7}); err != nil {
				t.Fatal(err)
			}
			st.Close()
			cmd := func(args ...string) string {
				t.Helper()
				if flagValue != "" {
					args = append(args[:1:1], append([]string{"--store", flagValue}, args[1:]...)...)
				}
				var out, errb bytes.Buffer
				e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
					switch k {
					case "GOVBOT_DATA":
						return dir
					case storeEnv:
						return envValue
					}
					return ""
				}}
				if code := run(context.Background(), e, args); code != 0 {
					t.Fatalf("govbot %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
				}
				return out.String()
			}
			if out := cmd("add", report); !strings.Contains(out, "added longhua-fzzf") {
				t.Errorf("add: %s", out)
			}
			if out := cmd("feedback"); !strings.Contains(out, "龙华区2024年GDP") {
				t.Errorf("feedback: %s", out)
			}
			st = open()
			defer st.Close()
			ds, err := st.Deliveries("longhua-fzzf")
			if err != nil || len(ds) != 1 || ds[0].ChatID != 7 || ds[0].State != store.Pending {
				t.Errorf("deliveries of the added report = %+v, %v; want one pending to chat 7", ds, err)
			}
		})
	}
	t.Run("not a URL", func(t *testing.T) {
		code, _, stderr := govbot(t, t.TempDir(), "feedback", "--store", "/var/lib/govbot")
		if code != 2 || !strings.Contains(stderr, "postgres:// URL") {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
}

// pgOpener opens the PostgreSQL store at url.
func pgOpener(t *testing.T, url string) func() store.Backend {
	return func() store.Backend {
		st, err := postgres.Open(context.Background(), url, nil)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
}
