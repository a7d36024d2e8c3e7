package source

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/govbot/govbot/store"
)

func TestParseConfig(t *testing.T) {
	good := `{
  "interval": "15m",
  "admins": [42],
  "sources": [
    {"name": "hubei", "url": "https://www.hubei.gov.cn/zwgk/zfgzbg/", "link": "/t\\d{8}_\\d+\\.shtml$"},
    {"name": "inbox", "folder": "/srv/govbot/inbox"}
  ]
}`
	c, err := ParseConfig([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if c.Interval.Minutes() != 15 || len(c.Admins) != 1 || len(c.Sources) != 2 || !c.Sources[0].LinkPattern().MatchString("https://www.hubei.gov.cn/zwgk/t20250123_5512345.shtml") {
		t.Errorf("config = %+v", c)
	}
	if c, _ := ParseConfig([]byte(`{"sources": []}`)); c.Interval != DefaultInterval {
		t.Errorf("default interval = %v", c.Interval)
	}
	bad := []struct{ name, conf, msg string }{
		{"syntax", "{\n\"sources\": [\n{\"name\": \"a\",}\n]}", "line 3"},
		{"unknown field", `{"sourcs": []}`, "unknown field"},
		{"no name", `{"sources": [{"folder": "/x"}]}`, "no name"},
		{"both", `{"sources": [{"name": "a", "folder": "/x", "url": "https://a/"}]}`, "either url"},
		{"no pattern", `{"sources": [{"name": "a", "url": "https://a/"}]}`, "link pattern"},
		{"bad pattern", `{"sources": [{"name": "a", "url": "https://a/", "link": "("}]}`, "link pattern"},
		{"dup", `{"sources": [{"name": "a", "folder": "/x"}, {"name": "a", "folder": "/y"}]}`, "twice"},
		{"interval", `{"interval": "5s"}`, "shorter"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(b.conf))
			if err == nil || !strings.Contains(err.Error(), b.msg) {
				t.Errorf("err = %v, want %q", err, b.msg)
			}
		})
	}
}

func TestExtractLinks(t *testing.T) {
	page := []byte(`<html><head><base href="https://www.hubei.gov.cn/zwgk/"></head><body>
<a href="t20250123_1.shtml">a</a> <a href="/zwgk/t20250123_1.shtml#top">dup</a>
<a href="https://other.example/t20240101_2.shtml">b</a> <a href="javascript:void(0)">x</a>
<a href="list_2.shtml">next</a> <a>no href</a></body></html>`)
	c, _ := ParseConfig([]byte(`{"sources":[{"name":"x","url":"https://a/","link":"/t\\d{8}_\\d+\\.shtml$"}]}`))
	got := ExtractLinks(page, "https://www.hubei.gov.cn/zwgk/index.shtml", c.Sources[0].LinkPattern())
	want := []string{"https://www.hubei.gov.cn/zwgk/t20250123_1.shtml", "https://other.example/t20240101_2.shtml"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("links = %v, want %v", got, want)
	}
}

// TestWatchListingAndFolder runs watch rounds against a listing page served
// with an ETag and a local folder: the first round indexes quietly, later
// rounds ingest and announce only what is new, and an unchanged listing is
// answered 304 and costs one request.
func TestWatchListingAndFolder(t *testing.T) {
	e := newEnv(t)
	var listingHits, pageHits atomic.Int32
	links := []string{"/zwgk/t20250123_1.shtml"}
	version := "v1"
	mux := http.NewServeMux()
	mux.HandleFunc("/zwgk/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/zwgk/" {
			pageHits.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			switch r.URL.Path {
			case "/zwgk/t20250123_1.shtml":
				w.Write(fixture(t, "hubei-xxgk-utf8.html"))
			case "/zwgk/t20250312_2.shtml":
				w.Header().Set("Content-Type", "text/html; charset=gbk")
				w.Write(fixture(t, "state-council-gb18030.html"))
			default:
				http.NotFound(w, r)
			}
			return
		}
		listingHits.Add(1)
		etag := `"` + version + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><body><ul class="list">`)
		for _, l := range links {
			fmt.Fprintf(w, `<li><a href="%s">report</a></li>`, l)
		}
		fmt.Fprint(w, `<li><a href="/about.html">关于我们</a></li></ul></body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	folder := t.TempDir()
	conf := fmt.Sprintf(`{"sources": [
		{"name": "gov", "url": %q, "link": "/t\\d{8}_\\d+\\.shtml$"},
		{"name": "inbox", "folder": %q}]}`, srv.URL+"/zwgk/", folder)
	c, err := ParseConfig([]byte(conf))
	if err != nil {
		t.Fatal(err)
	}
	var woken atomic.Int32
	w := &Watcher{Sources: c.Sources, Store: e.st, Ingester: e.in, Fetch: *e.fetch, OnIngest: func(Ingested) { woken.Add(1) }}
	ctx := context.Background()

	// Round 1: first poll: indexed, not announced.
	got, err := w.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Status != Added || got[0].Queued != 0 {
		t.Fatalf("round 1 = %+v", got)
	}
	// Round 2: listing unchanged: 304, nothing fetched.
	listingHits.Store(0)
	pageHits.Store(0)
	if got, err = w.Round(ctx); err != nil || len(got) != 0 || listingHits.Load() != 1 || pageHits.Load() != 0 {
		t.Fatalf("round 2 = %+v, %v; listing hits %d, page hits %d", got, err, listingHits.Load(), pageHits.Load())
	}
	// Round 3: a new report and a dead link appear; a file lands in the folder.
	links = append(links, "/zwgk/t20250312_2.shtml", "/zwgk/t20250101_9.shtml")
	version = "v2"
	os.WriteFile(filepath.Join(folder, "2026-hunan.txt"), []byte("2026年湖南省政府工作报告\n\n各位代表：\n\n全省地区生产总值达到5.4万亿元，城镇新增就业75.6万人，粮食产量达到614.8亿斤，居民人均可支配收入增长5.6%。\n"), 0o644)
	os.WriteFile(filepath.Join(folder, "notes.md"), []byte("ignored"), 0o644)
	got, err = w.Round(ctx)
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("round 3 error = %v, want the dead link reported", err)
	}
	ids := map[string]Ingested{}
	for _, g := range got {
		ids[g.Report.ID] = g
	}
	if g, ok := ids["127.0.0.1-t20250312_2"]; !ok || g.Status != Added || g.Queued != 1 || g.Report.Issuer != "国务院" {
		t.Errorf("round 3 listing report = %+v", g)
	}
	if g, ok := ids["2026-hunan"]; !ok || g.Status != Added {
		// The folder's first poll was round 1, so this file is announced.
		t.Errorf("round 3 folder report = %+v", g)
	}
	if len(got) != 2 || woken.Load() != 3 {
		t.Errorf("round 3 ingested %d, OnIngest called %d times", len(got), woken.Load())
	}
	// Round 4: the dead link is not fetched again (permanent), nothing new.
	pageHits.Store(0)
	if got, err = w.Round(ctx); err != nil || len(got) != 0 || pageHits.Load() != 0 {
		t.Errorf("round 4 = %+v, %v, page hits %d", got, err, pageHits.Load())
	}
	ps, _ := e.st.PollState("gov")
	if ps.ETag != `"v2"` || ps.LastPoll.IsZero() {
		t.Errorf("poll state = %+v", ps)
	}
	ds, _ := e.st.Deliveries("")
	queued := 0
	for _, d := range ds {
		if d.State == store.Pending {
			queued++
		}
	}
	// The State Council report to chat 1; the Hunan file to chat 1 and the
	// 湖南 channel; the quietly indexed Hubei report to nobody.
	if queued != 3 {
		t.Errorf("%d announcements queued, want 3: %+v", queued, ds)
	}
	// Round 5: a PDF and a legacy .doc land in the folder: the PDF is
	// ingested, the .doc reported once with what to do.
	os.WriteFile(filepath.Join(folder, "hebei.pdf"), docFixture(t, "hebei-gwr.pdf"), 0o644)
	os.WriteFile(filepath.Join(folder, "old.doc"), docFixture(t, "fangxian-fzzf.doc"), 0o644)
	got, err = w.Round(ctx)
	if err == nil || !strings.Contains(err.Error(), "(.doc) files are not supported") {
		t.Errorf("round 5 error = %v, want the .doc reported", err)
	}
	if len(got) != 1 || got[0].Report.ID != "hebei" || got[0].Report.Title != "2026年河北省政府工作报告" {
		t.Errorf("round 5 = %+v", got)
	}
	if got, err = w.Round(ctx); err != nil || len(got) != 0 {
		t.Errorf("round 6 = %+v, %v: want nothing new and no error", got, err)
	}
}
