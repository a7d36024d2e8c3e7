package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// openTemp opens a store in a fresh temporary directory.
func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// reopen closes s and opens the same file again, as a restart does.
func reopen(t *testing.T, s *Store, path string) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	if err := s2.Check(); err != nil {
		t.Fatalf("check after reopen: %v", err)
	}
	return s2
}

func TestSubscriptionsSurviveRestart(t *testing.T) {
	s, path := openTemp(t)
	subs := []Subscription{
		{ChatID: 42, Kind: KindPrivate, By: 42},
		{ChatID: -1001, Kind: KindGroup, Title: "湖北群", Filters: []string{"湖北"}, By: 7},
		{ChatID: -1002, Kind: KindChannel, Title: "@govnews", By: 7},
	}
	for _, sub := range subs {
		created, err := s.Subscribe(sub)
		if err != nil || !created {
			t.Fatalf("Subscribe(%d) = %v, %v; want created", sub.ChatID, created, err)
		}
	}
	// Re-subscribing replaces filters and is not "created".
	created, err := s.Subscribe(Subscription{ChatID: 42, Kind: KindPrivate, Filters: []string{"国务院"}, By: 42})
	if err != nil || created {
		t.Fatalf("re-subscribe = %v, %v; want not created", created, err)
	}
	if _, err := s.Subscribe(Subscription{ChatID: 5, Kind: "supergroup"}); err == nil {
		t.Error("unknown kind accepted")
	}
	s = reopen(t, s, path)
	got, err := s.Subscriptions()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("after restart: %d subscriptions, want 3: %+v", len(got), got)
	}
	if got[0].ChatID != -1002 || got[2].ChatID != 42 || len(got[2].Filters) != 1 || got[2].Filters[0] != "国务院" {
		t.Errorf("subscriptions = %+v", got)
	}
	if got[1].At.IsZero() {
		t.Error("subscription time not recorded")
	}
	removed, err := s.Unsubscribe(-1001)
	if err != nil || !removed {
		t.Fatalf("Unsubscribe = %v, %v", removed, err)
	}
	if removed, _ := s.Unsubscribe(-1001); removed {
		t.Error("second Unsubscribe reported removal")
	}
	if _, err := s.Subscription(-1001); !errors.Is(err, ErrNotFound) {
		t.Errorf("Subscription after unsubscribe: err = %v, want ErrNotFound", err)
	}
}

func TestSubscriptionMatches(t *testing.T) {
	tests := []struct {
		filters []string
		fields  []string
		want    bool
	}{
		{nil, []string{"国务院", "政府工作报告"}, true},
		{[]string{"湖北"}, []string{"湖北省人民政府", "2025年湖北省政府工作报告"}, true},
		{[]string{"湖北"}, []string{"湖南省人民政府", "2025年湖南省政府工作报告"}, false},
		{[]string{"湖北", "就业"}, []string{"国务院", "城镇新增就业1256万人"}, true},
		{[]string{""}, []string{"国务院"}, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.filters, tt.fields), func(t *testing.T) {
			sub := Subscription{Filters: tt.filters}
			if got := sub.Matches(tt.fields...); got != tt.want {
				t.Errorf("Matches = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFindReportAndRevision(t *testing.T) {
	s, path := openTemp(t)
	rec, err := s.PutReport(ReportRecord{ID: "r1", TextHash: "h1", IndexNumber: "000014349/2025-00001", URL: "https://example.gov.cn/a.html", Title: "T"})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Revision != 1 || rec.Added.IsZero() {
		t.Fatalf("first record = %+v", rec)
	}
	s = reopen(t, s, path)
	tests := []struct {
		name                   string
		hash, indexNo, url, id string
		want                   Match
	}{
		{"same text", "h1", "", "", "", MatchHash},
		{"same index number", "hX", "000014349/2025-00001", "", "", MatchIndexNumber},
		{"same url", "hX", "other", "https://example.gov.cn/a.html", "", MatchURL},
		{"same id", "hX", "", "", "r1", MatchID},
		{"new", "hX", "other", "https://example.gov.cn/b.html", "r2", MatchNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, m, err := s.FindReport(tt.hash, tt.indexNo, tt.url, tt.id)
			if err != nil {
				t.Fatal(err)
			}
			if m != tt.want || (m != MatchNone && got.ID != "r1") {
				t.Errorf("FindReport = %q, %q; want r1, %q", got.ID, m, tt.want)
			}
		})
	}
	// A revised text under the same ID replaces the hash index.
	rec, err = s.PutReport(ReportRecord{ID: "r1", TextHash: "h2", IndexNumber: "000014349/2025-00001", URL: "https://example.gov.cn/a.html"})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Revision != 2 {
		t.Errorf("revision = %d, want 2", rec.Revision)
	}
	if _, m, _ := s.FindReport("h1", "", "", ""); m != MatchNone {
		t.Errorf("old hash still found (%q)", m)
	}
	if _, m, _ := s.FindReport("h2", "", "", ""); m != MatchHash {
		t.Errorf("new hash not found (%q)", m)
	}
	// The same text again does not bump the revision.
	if rec, _ = s.PutReport(ReportRecord{ID: "r1", TextHash: "h2"}); rec.Revision != 2 {
		t.Errorf("unchanged text: revision = %d, want 2", rec.Revision)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestAnnounceReportOnce(t *testing.T) {
	s, _ := openTemp(t)
	for _, sub := range []Subscription{
		{ChatID: 1, Kind: KindPrivate},
		{ChatID: 2, Kind: KindPrivate, Filters: []string{"湖北"}},
		{ChatID: 3, Kind: KindPrivate, Filters: []string{"湖南"}},
	} {
		if _, err := s.Subscribe(sub); err != nil {
			t.Fatal(err)
		}
	}
	rec, n, err := s.AnnounceReport(ReportRecord{ID: "2025-hubei", TextHash: "h"}, "湖北省人民政府", "2025年湖北省政府工作报告")
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || rec.Announced.IsZero() {
		t.Fatalf("AnnounceReport queued %d (announced %v), want 2", n, rec.Announced)
	}
	// Announcing again (same report re-added, or revised) queues nothing.
	if _, n, err = s.AnnounceReport(ReportRecord{ID: "2025-hubei", TextHash: "h2"}, "湖北省人民政府"); err != nil || n != 0 {
		t.Fatalf("second AnnounceReport queued %d, %v; want 0", n, err)
	}
	ds, err := s.Deliveries("2025-hubei")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].ChatID != 1 || ds[1].ChatID != 2 || ds[0].State != Pending {
		t.Errorf("deliveries = %+v", ds)
	}
	if _, err := s.Enqueue("unknown", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("Enqueue for unrecorded report: err = %v, want ErrNotFound", err)
	}
}

func TestOutboxLifecycle(t *testing.T) {
	now := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), FileName)
	open := func() *Store {
		s, err := Open(path, &Options{Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	defer func() { s.Close() }()
	if _, err := s.PutReport(ReportRecord{ID: "r", TextHash: "h"}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Enqueue("r", 10, 11, 12, 10); err != nil || n != 3 {
		t.Fatalf("Enqueue = %d, %v; want 3", n, err)
	}
	due, err := s.Due(now, 10)
	if err != nil || len(due) != 3 {
		t.Fatalf("Due = %d, %v", len(due), err)
	}

	// 10: sent. A stale token cannot finish it again.
	d10, err := s.BeginSend("r", 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.BeginSend("r", 10); !errors.Is(err, ErrStale) {
		t.Errorf("second BeginSend: err = %v, want ErrStale", err)
	}
	if err := s.MarkSent(d10, 777); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSent(d10, 778); !errors.Is(err, ErrStale) {
		t.Errorf("MarkSent twice: err = %v, want ErrStale", err)
	}
	// 11: retry in a minute: not due now, due later.
	d11, _ := s.BeginSend("r", 11)
	if err := s.MarkRetry(d11, now.Add(time.Minute), errors.New("429 Too Many Requests")); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.Due(now, 10); len(due) != 1 || due[0].ChatID != 12 {
		t.Errorf("Due now = %+v, want only chat 12", due)
	}
	if at, ok, _ := s.NextDue(); !ok || !at.Equal(now) {
		t.Errorf("NextDue = %v, %v", at, ok)
	}
	// 12: crash while sending.
	if _, err := s.BeginSend("r", 12); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	rec, err := s.RecoverInflight(true)
	if err != nil || len(rec) != 1 || rec[0].ChatID != 12 || rec[0].State != Pending {
		t.Fatalf("RecoverInflight = %+v, %v", rec, err)
	}
	ds, _ := s.Deliveries("r")
	want := map[int64]State{10: Sent, 11: Pending, 12: Pending}
	for _, d := range ds {
		if d.State != want[d.ChatID] {
			t.Errorf("chat %d: state %s, want %s", d.ChatID, d.State, want[d.ChatID])
		}
	}
	if ds[0].MessageID != 777 || ds[1].Attempts != 1 || ds[1].LastError == "" {
		t.Errorf("deliveries = %+v", ds)
	}
	// Re-send after the fact requeues a sent entry; Enqueue would not.
	if n, _ := s.Enqueue("r", 10); n != 0 {
		t.Errorf("Enqueue of sent entry added %d", n)
	}
	if n, _ := s.Requeue("r", 10, 11); n != 1 {
		t.Errorf("Requeue added %d, want 1 (11 is still pending)", n)
	}
	// The at-most-once choice marks an interrupted entry failed.
	s.BeginSend("r", 12)
	if rec, _ := s.RecoverInflight(false); len(rec) != 1 || rec[0].State != Failed {
		t.Errorf("RecoverInflight(false) = %+v", rec)
	}
	// Unsubscribing cancels what is still pending.
	s.Subscribe(Subscription{ChatID: 11, Kind: KindPrivate})
	if _, err := s.Unsubscribe(11); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Deliveries("r"); d[1].State != Cancelled {
		t.Errorf("after unsubscribe: %+v", d[1])
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(5)
	if err != nil {
		t.Fatal(err)
	}
	if st.Reports != 1 || st.Deliveries[Sent] != 0 || st.Deliveries[Pending] != 1 || st.Deliveries[Cancelled] != 1 || st.Deliveries[Failed] != 1 {
		t.Errorf("stats = %+v", st)
	}
}

func TestOpenLocked(t *testing.T) {
	_, path := openTemp(t)
	_, err := Open(path, &Options{LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: err = %v, want ErrLocked", err)
	}
}

func TestAdminsErrorsPollState(t *testing.T) {
	s, path := openTemp(t)
	if err := s.SetAdmins(1, 2); err != nil {
		t.Fatal(err)
	}
	for i := range 60 {
		if err := s.LogError("send", fmt.Errorf("error %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	ps := PollState{ETag: `"abc"`, LastModified: "Wed, 05 Mar 2025 01:00:00 GMT", LastPoll: time.Now().UTC().Truncate(time.Second)}
	if err := s.SetPollState("gov", ps); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSeen("gov", map[string]string{"https://a/1.html": "r1", "https://a/2.html": ""}); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, path)
	if !s.IsAdmin(1) || s.IsAdmin(3) {
		t.Error("admins not kept")
	}
	s.SetAdmins(3)
	if s.IsAdmin(1) || !s.IsAdmin(3) {
		t.Error("SetAdmins did not replace")
	}
	if st, _ := s.Stats(100); len(st.LastErrors) != maxErrors {
		t.Errorf("error log keeps %d entries, want %d", len(st.LastErrors), maxErrors)
	}
	st, _ := s.Stats(3)
	if len(st.LastErrors) != 3 || st.LastErrors[0].Message != "error 59" {
		t.Errorf("last errors = %+v", st.LastErrors)
	}
	if got, _ := s.PollState("gov"); got != ps {
		t.Errorf("poll state = %+v, want %+v", got, ps)
	}
	seen, _ := s.Seen("gov", "https://a/1.html", "https://a/2.html", "https://a/3.html")
	if !seen["https://a/1.html"] || !seen["https://a/2.html"] || seen["https://a/3.html"] {
		t.Errorf("seen = %v", seen)
	}
}

func TestSentSince(t *testing.T) {
	now := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	s, err := Open(filepath.Join(t.TempDir(), FileName), &Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.PutReport(ReportRecord{ID: "r", TextHash: "h"})
	s.Enqueue("r", 1, 2, 3)
	for i, chat := range []int64{1, 2} {
		now = now.Add(time.Duration(i+1) * 30 * time.Second)
		d, err := s.BeginSend("r", chat)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.MarkSent(d, 100+i); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.SentSince(now.Add(-59 * time.Second))
	if err != nil || len(got) != 1 || got[0].ChatID != 2 {
		t.Errorf("SentSince(last minute) = %+v, %v; want chat 2 only", got, err)
	}
	if got, _ := s.SentSince(time.Time{}); len(got) != 2 || got[0].ChatID != 1 {
		t.Errorf("SentSince(zero) = %+v; want chats 1, 2 oldest first", got)
	}
}

// TestUpdateJournal: received updates stay until finished, a second
// delivery of one is recognised, and the sending mark survives a reopen.
func TestUpdateJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	ups := []PendingUpdate{{ID: 10, Raw: []byte(`{"update_id":10}`)}, {ID: 11, Raw: []byte(`{"update_id":11}`)}, {ID: 12, Raw: []byte(`{"update_id":12}`)}}
	fresh, err := s.ReceiveUpdates(ups)
	if err != nil || len(fresh) != 3 {
		t.Fatalf("first receive: %d fresh, %v", len(fresh), err)
	}
	if err := s.MarkUpdateSending(11); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishUpdate(10); err != nil {
		t.Fatal(err)
	}
	// Telegram delivers 10..13 again (the acknowledgement was lost).
	fresh, err = s.ReceiveUpdates(append(ups, PendingUpdate{ID: 13, Raw: []byte(`{"update_id":13}`)}))
	if err != nil || len(fresh) != 1 || fresh[0].ID != 13 {
		t.Fatalf("second receive: %+v, %v", fresh, err)
	}
	s.Close()
	if s, err = Open(path, nil); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pend, err := s.PendingUpdates()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pend {
		got = append(got, fmt.Sprintf("%d:%v", p.ID, p.Sending))
	}
	if strings.Join(got, " ") != "11:true 12:false 13:false" {
		t.Errorf("pending after reopen = %v", got)
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}
