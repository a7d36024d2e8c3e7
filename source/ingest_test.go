package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/store"
)

// env is a data directory with a real index and a real state file.
type env struct {
	dir   string
	ix    *index.Index
	st    *store.Store
	in    *Ingester
	fetch *FetchOptions
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := index.Update(ctx, dir, nil); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	st, err := store.OpenDir(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, sub := range []store.Subscription{
		{ChatID: 1, Kind: store.KindPrivate},
		{ChatID: -100, Kind: store.KindGroup, Filters: []string{"湖北"}},
		{ChatID: -200, Kind: store.KindChannel, Filters: []string{"湖南"}},
	} {
		if _, err := st.Subscribe(sub); err != nil {
			t.Fatal(err)
		}
	}
	return &env{dir: dir, ix: ix, st: st, in: &Ingester{Index: ix, Store: st, Announce: true},
		fetch: &FetchOptions{Timeout: 500 * time.Millisecond, MaxBytes: 1 << 20, AllowPrivate: true}}
}

func (e *env) ingestURL(t *testing.T, u string) (Result, error) {
	t.Helper()
	p, err := Fetch(context.Background(), u, e.fetch)
	if err != nil {
		return Result{}, err
	}
	return e.in.Ingest(context.Background(), Document{Name: u, Data: p.Body, ContentType: p.ContentType, URL: u})
}

// snapshot is everything an ingest may change.
func (e *env) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, r := range e.ix.Reports() {
		fmt.Fprintf(&b, "index %s %s %d\n", r.ID, r.JSONHash, r.Paragraphs)
	}
	recs, err := e.st.Reports()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		fmt.Fprintf(&b, "store %s %s r%d\n", r.ID, r.TextHash, r.Revision)
	}
	ds, _ := e.st.Deliveries("")
	fmt.Fprintf(&b, "outbox %d\n", len(ds))
	return b.String()
}

func TestIngestPages(t *testing.T) {
	srv := govSite(t)
	e := newEnv(t)
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

	// Good pages, UTF-8 and GB18030, are ingested with their metadata.
	good := []struct {
		path, id, title, issuer, indexNo string
		published                        time.Time
		figure                           string
		queued                           int
	}{
		{"/hubei.shtml", "127.0.0.1-hubei", "2025年湖北省政府工作报告", "湖北省人民政府", "011043102/2025-00012", day(2025, 1, 16), "60013亿元", 2},
		{"/gov.htm", "127.0.0.1-gov", "2025年中华人民共和国国务院政府工作报告", "国务院", "000014349/2025-00012", day(2025, 3, 12), "1256万人", 1},
		// Declared UTF-8, bytes GB18030: detected. The date is the one the
		// report was delivered on (2月3日), which outranks the page's 发文日期.
		{"/wrong-charset.html", "127.0.0.1-wrong-charset", "2026年湖南省政府工作报告", "湖南省人民政府", "114300000061979167/2026-00008", day(2026, 2, 3), "5300亿元", 2},
	}
	for _, g := range good {
		t.Run("good"+g.path, func(t *testing.T) {
			res, err := e.ingestURL(t, srv.URL+g.path)
			if err != nil {
				t.Fatal(err)
			}
			r := res.Report
			if res.Status != Added || res.Queued != g.queued || res.Revision != 1 {
				t.Errorf("result = %s, queued %d (want %d), revision %d", res.Status, res.Queued, g.queued, res.Revision)
			}
			if r.ID != g.id || r.Title != g.title || r.Issuer != g.issuer || r.IndexNumber != g.indexNo || r.URL != srv.URL+g.path || !r.Published.Equal(g.published) {
				t.Errorf("report = id %q title %q issuer %q 索引号 %q url %q published %v", r.ID, r.Title, r.Issuer, r.IndexNumber, r.URL, r.Published)
			}
			indexed, err := e.ix.Report(r.ID)
			if err != nil {
				t.Fatalf("not in index: %v", err)
			}
			found := false
			for _, p := range indexed.Paragraphs {
				for _, f := range p.Figures {
					found = found || strings.Contains(f.Text, g.figure)
				}
			}
			if !found {
				t.Errorf("indexed report lacks figure %s", g.figure)
			}
			// The article only: no site chrome, no disclosure table.
			for _, p := range indexed.Paragraphs {
				for _, chrome := range []string{"ICP", "上一篇", "下一篇", "信息公开目录", "分享到", "索引号", "网站地图", "打印本页"} {
					if strings.Contains(p.Text, chrome) {
						t.Errorf("paragraph %d holds site chrome %q: %.80s", p.Seq, chrome, p.Text)
					}
				}
			}
			if !strings.Contains(res.String(), "added "+g.id) {
				t.Errorf("summary %q", res.String())
			}
		})
	}

	// Bad pages give a clear error and change nothing.
	before := e.snapshot(t)
	bad := []struct {
		path string
		want error
	}{
		{"/cut.html", ErrTruncatedBody},
		{"/gone.html", nil},
		{"/broken.html", nil},
		{"/slow.html", ErrTimeout},
		{"/huge.html", ErrTooLarge},
		{"/old.doc", ErrContentType},
		{"/setup.exe", ErrContentType},
		{"/listing.html", nil},
		{"/truncated.html", nil},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/listing.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(fixture(t, "listing.html"))
	})
	mux.HandleFunc("/truncated.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(fixture(t, "truncated.html")) // cut at the source, served whole
	})
	extra := httptest.NewServer(mux)
	defer extra.Close()
	for _, b := range bad {
		t.Run("bad"+b.path, func(t *testing.T) {
			base := srv.URL
			if b.path == "/listing.html" || b.path == "/truncated.html" {
				base = extra.URL
			}
			_, err := e.ingestURL(t, base+b.path)
			if err == nil {
				t.Fatal("no error")
			}
			if b.want != nil && !errors.Is(err, b.want) {
				t.Errorf("err = %v, want %v", err, b.want)
			}
			if after := e.snapshot(t); after != before {
				t.Errorf("a failed ingest changed state:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}

	t.Run("same text again", func(t *testing.T) {
		page := fixture(t, "hubei-xxgk-utf8.html")
		res, err := e.in.Ingest(context.Background(), Document{Name: "copy.html", Data: page})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != Duplicate || res.Report.ID != "127.0.0.1-hubei" || !strings.Contains(res.String(), "already indexed as 127.0.0.1-hubei") {
			t.Errorf("result = %s %q", res.Status, res)
		}
		if after := e.snapshot(t); after != before {
			t.Errorf("a duplicate changed state")
		}
	})

	t.Run("revised text same 索引号", func(t *testing.T) {
		page := bytes.Replace(fixture(t, "hubei-xxgk-utf8.html"), []byte("60013亿元"), []byte("60014亿元"), 1)
		res, err := e.in.Ingest(context.Background(), Document{Name: "revised.html", Data: page, URL: "https://www.hubei.gov.cn/revised.shtml"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != Updated || res.Report.ID != "127.0.0.1-hubei" || res.Revision != 2 || res.Queued != 0 || res.Match != store.MatchIndexNumber {
			t.Errorf("result = %s id %s rev %d queued %d match %q", res.Status, res.Report.ID, res.Revision, res.Queued, res.Match)
		}
		if !strings.Contains(res.String(), "updated 127.0.0.1-hubei") {
			t.Errorf("summary %q", res)
		}
		r, _ := e.ix.Report("127.0.0.1-hubei")
		text := ""
		for _, p := range r.Paragraphs {
			text += p.Text
		}
		if !strings.Contains(text, "60014亿元") || strings.Contains(text, "60013亿元") {
			t.Error("index still has the old text")
		}
		if n := len(e.ix.Reports()); n != 3 {
			t.Errorf("%d reports indexed, want 3 (replaced, not added)", n)
		}
		ds, _ := e.st.Deliveries("127.0.0.1-hubei")
		if len(ds) != 2 {
			t.Errorf("revision queued announcements again: %d entries", len(ds))
		}
	})
}

func TestIngestFiles(t *testing.T) {
	e := newEnv(t)
	text := "2026年湖南省政府工作报告\n\n各位代表：\n\n现在，我代表省人民政府，向大会作政府工作报告，请予审议。\n\n一、2025年工作回顾\n\n全省地区生产总值增长5.5%，达到5.4万亿元；城镇新增就业75.6万人，居民人均可支配收入增长5.6%，粮食产量达到614.8亿斤。\n"
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gbPath := filepath.Join(dir, "2026-hunan.txt")
	os.WriteFile(gbPath, gbk, 0o644)
	res, err := e.in.Ingest(context.Background(), Document{Name: gbPath, Data: gbk})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Added || res.Report.ID != "2026-hunan" || res.Report.Issuer == "" || res.Queued != 2 {
		t.Errorf("GB18030 file: %s id %s issuer %q queued %d", res.Status, res.Report.ID, res.Report.Issuer, res.Queued)
	}
	// The same text in UTF-8 under another name is the same report.
	res, err = e.in.Ingest(context.Background(), Document{Name: "copy.txt", Data: []byte(text)})
	if err != nil || res.Status != Duplicate || res.Report.ID != "2026-hunan" {
		t.Errorf("UTF-8 copy: %v %v", res.Status, err)
	}
	// A different report that would take the same ID is refused.
	other := strings.Replace(text, "5.4万亿元", "5.5万亿元", 1)
	if _, err := e.in.Ingest(context.Background(), Document{Name: "x/2026-hunan.txt", Data: []byte(other)}); err == nil || !strings.Contains(err.Error(), "--id") {
		t.Errorf("ID clash: err = %v", err)
	}
	// ... unless the caller names it: then it replaces.
	res, err = e.in.Ingest(context.Background(), Document{Name: "x/2026-hunan.txt", Data: []byte(other), Meta: metaID("2026-hunan")})
	if err != nil || res.Status != Updated {
		t.Errorf("explicit --id: %v %v", res.Status, err)
	}
	if _, err := e.in.Ingest(context.Background(), Document{Name: "empty.txt", Data: []byte("\n\n")}); err == nil {
		t.Error("empty file accepted")
	}
	// The index lost the report (rebuilt elsewhere, restored from an old
	// backup) but the state file knows it: ingesting it again puts it back
	// in the index without announcing it a second time.
	if err := e.ix.Remove(context.Background(), "2026-hunan"); err != nil {
		t.Fatal(err)
	}
	before, _ := e.st.Deliveries("2026-hunan")
	res, err = e.in.Ingest(context.Background(), Document{Name: "again.txt", Data: []byte(other)})
	if err != nil || res.Status != Restored || res.Report.ID != "2026-hunan" || !strings.Contains(res.String(), "restored 2026-hunan") {
		t.Fatalf("lost report ingested again: %v %v %q", res.Status, err, res)
	}
	if _, err := e.ix.Report("2026-hunan"); err != nil {
		t.Errorf("not back in the index: %v", err)
	}
	if after, _ := e.st.Deliveries("2026-hunan"); len(after) != len(before) {
		t.Errorf("restored report announced again: %d entries, before %d", len(after), len(before))
	}
}

func metaID(id string) (m corpusMeta) { m.ID = id; return m }

type corpusMeta = corpus.Meta
