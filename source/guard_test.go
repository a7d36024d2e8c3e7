package source

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestInternalAddress(t *testing.T) {
	tests := []struct {
		addr     string
		internal bool
	}{
		{"127.0.0.1", true}, {"127.8.9.10", true}, {"::1", true},
		{"10.1.2.3", true}, {"172.16.0.1", true}, {"172.31.255.255", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"169.254.1.1", true}, {"fe80::1", true},
		{"fd00:ec2::254", true}, {"fc00::1", true},
		{"100.64.0.1", true}, {"100.127.255.254", true},
		{"0.0.0.0", true}, {"::", true}, {"224.0.0.1", true}, {"255.255.255.255", true},
		{"::ffff:127.0.0.1", true}, {"::ffff:169.254.169.254", true},
		{"64:ff9b::a9fe:a9fe", true}, {"2002:7f00:1::", true},
		{"8.8.8.8", false}, {"202.108.22.5", false}, {"172.32.0.1", false},
		{"100.128.0.1", false}, {"2400:da00::6666", false}, {"::ffff:8.8.8.8", false},
	}
	for _, tt := range tests {
		kind, got := InternalAddress(netip.MustParseAddr(tt.addr))
		if got != tt.internal {
			t.Errorf("InternalAddress(%s) = %v (%s), want %v", tt.addr, got, kind, tt.internal)
		}
	}
}

// TestFetchRefusesInternal: a URL on 127.0.0.1, a name resolving to it,
// and redirects from an allowed site to 127.0.0.1 and to the metadata
// address are all refused without AllowPrivate, and no request reaches
// the internal server; with AllowPrivate the intranet page is fetched.
func TestFetchRefusesInternal(t *testing.T) {
	var internalHits atomic.Int32
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		internalHits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body>secret admin page</body></html>")
	}))
	defer internal.Close()
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	defer public.Close()
	pub, _ := url.Parse(public.URL)
	pubAddr := netip.MustParseAddrPort(pub.Host)
	// Only the "public" server passes the guard, as a real public site would.
	testAllowDial = func(ap netip.AddrPort) bool { return ap == pubAddr }
	defer func() { testAllowDial = nil }()

	_, port, _ := strings.Cut(strings.TrimPrefix(internal.URL, "http://"), ":")
	// The public site is named, not an IP literal, as public sites are.
	publicURL := "http://localhost:" + pub.Port()
	redirect := func(to string) string { return publicURL + "/r?to=" + url.QueryEscape(to) }
	refused := []struct{ name, url, msg string }{
		{"literal loopback", internal.URL + "/", "loopback"},
		{"name resolving to loopback", "http://localhost:" + port + "/", "loopback"},
		{"redirect to loopback", redirect(internal.URL + "/admin"), "redirected to " + internal.URL + "/admin"},
		{"redirect to a name resolving to loopback", redirect("http://localhost:" + port + "/"), "loopback"},
		{"redirect to metadata", redirect("http://169.254.169.254/latest/meta-data/"), "cloud metadata"},
		{"redirect to mapped metadata", redirect("http://[::ffff:169.254.169.254]/"), "cloud metadata"},
		{"redirect to private", redirect("http://10.0.0.1/"), "private"},
		{"redirect to CGNAT", redirect("http://100.64.0.1/"), "carrier-grade NAT"},
	}
	opts := &FetchOptions{Timeout: 2 * time.Second}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Fetch(context.Background(), tt.url, opts)
			if !errors.Is(err, ErrInternalAddress) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want ErrInternalAddress mentioning %q", err, tt.msg)
			}
			if !permanent(err) {
				t.Errorf("a refused address should not be retried: %v", err)
			}
		})
	}
	if n := internalHits.Load(); n != 0 {
		t.Errorf("the internal server got %d requests", n)
	}
	// The operator's explicit permission, for an intranet site.
	p, err := Fetch(context.Background(), redirect(internal.URL+"/intranet"), &FetchOptions{Timeout: 2 * time.Second, AllowPrivate: true})
	if err != nil || !strings.Contains(string(p.Body), "secret admin page") {
		t.Fatalf("with AllowPrivate: %v", err)
	}
}

// TestWatchStaysOnHost: report links on a listing page that lead to
// another host are not followed unless the source lists that host.
func TestWatchStaysOnHost(t *testing.T) {
	var pageHits atomic.Int32
	mux := http.NewServeMux()
	var other string // the same server under another host name
	mux.HandleFunc("/zwgk/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/zwgk/" {
			fmt.Fprintf(w, `<html><body><a href="%s/zwgk/t20250123_1.shtml">elsewhere</a></body></html>`, other)
			return
		}
		pageHits.Add(1)
		w.Write(fixture(t, "hubei-xxgk-utf8.html"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	other = strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)

	for _, tt := range []struct {
		extra string
		want  int32
	}{
		{``, 0},
		{`, "link_hosts": ["localhost"]`, 1},
	} {
		e := newEnv(t)
		conf := fmt.Sprintf(`{"sources": [{"name": "gov", "url": %q, "link": "/t\\d{8}_\\d+\\.shtml$", "allow_private": true%s}]}`, srv.URL+"/zwgk/", tt.extra)
		c, err := ParseConfig([]byte(conf))
		if err != nil {
			t.Fatal(err)
		}
		w := &Watcher{Sources: c.Sources, Store: e.st, Ingester: e.in, Fetch: FetchOptions{Timeout: 2 * time.Second}}
		pageHits.Store(0)
		got, err := w.Round(context.Background())
		if err != nil || int32(len(got)) != tt.want || pageHits.Load() != tt.want {
			t.Errorf("config %s: ingested %d, page hits %d, err %v; want %d", conf, len(got), pageHits.Load(), err, tt.want)
		}
	}
	// Without allow_private the listing on 127.0.0.1 itself is refused.
	e := newEnv(t)
	c, _ := ParseConfig([]byte(fmt.Sprintf(`{"sources": [{"name": "gov", "url": %q, "link": "/t\\d{8}_\\d+\\.shtml$"}]}`, srv.URL+"/zwgk/")))
	w := &Watcher{Sources: c.Sources, Store: e.st, Ingester: e.in, Fetch: FetchOptions{Timeout: 2 * time.Second}}
	if _, err := w.Round(context.Background()); !errors.Is(err, ErrInternalAddress) {
		t.Errorf("listing on 127.0.0.1 without allow_private: err = %v", err)
	}
}

// TestFolderSymlinks: a folder source reads a link that stays inside the
// folder and skips, with an error, one that leads out of it.
func TestFolderSymlinks(t *testing.T) {
	e := newEnv(t)
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	os.WriteFile(secret, []byte("2025年秘密工作报告\n\n各位代表：\n\n内部数字达到12345亿元，不应被索引。\n"), 0o644)
	folder := t.TempDir()
	os.MkdirAll(filepath.Join(folder, "sub"), 0o755)
	inside := filepath.Join(folder, "sub", "2026-hunan.txt")
	os.WriteFile(inside, []byte("2026年湖南省政府工作报告\n\n各位代表：\n\n全省地区生产总值达到5.4万亿元，城镇新增就业75.6万人。\n"), 0o644)
	if err := os.Symlink(secret, filepath.Join(folder, "leak.txt")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	os.Symlink(outside, filepath.Join(folder, "outdir"))
	os.Symlink(inside, filepath.Join(folder, "alias.txt"))
	c, _ := ParseConfig([]byte(fmt.Sprintf(`{"sources": [{"name": "inbox", "folder": %q}]}`, folder)))
	w := &Watcher{Sources: c.Sources, Store: e.st, Ingester: e.in}
	got, err := w.Round(context.Background())
	if err == nil || !strings.Contains(err.Error(), "leak.txt: a symbolic link out of the folder") {
		t.Errorf("err = %v, want the escaping link reported", err)
	}
	for _, g := range got {
		if strings.Contains(g.Report.Title, "秘密") {
			t.Errorf("ingested a file outside the folder: %+v", g)
		}
	}
	added := 0
	for _, g := range got {
		if g.Status == Added {
			added++
		}
	}
	if added != 1 { // sub/2026-hunan.txt; alias.txt is the same text
		t.Errorf("added %d reports, want 1: %+v", added, got)
	}
}
