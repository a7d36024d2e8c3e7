package store

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tornChildEnv names the state file a child process writes to until killed.
const tornChildEnv = "GOVBOT_STORE_TORN_CHILD"

// tornSubscribers is how many chats the child subscribes: each announce
// transaction then writes this many outbox entries plus their index keys,
// big enough to span many pages so that a kill can land mid-commit.
const tornSubscribers = 400

// TestMain lets the test binary act as the writer child of TestTornWrite.
func TestMain(m *testing.M) {
	if path := os.Getenv(tornChildEnv); path != "" {
		if err := tornChild(path); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// tornChild writes to the store as fast as it can, printing "committed N"
// after each durable announce, until it is killed.
func tornChild(path string) error {
	s, err := Open(path, &Options{LockTimeout: 5 * time.Second})
	if err != nil {
		return err
	}
	for i := range tornSubscribers {
		if _, err := s.Subscribe(Subscription{ChatID: int64(i + 1), Kind: KindPrivate}); err != nil {
			return err
		}
	}
	recs, err := s.Reports()
	if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	for n := len(recs); ; n++ {
		id := fmt.Sprintf("report-%05d", n)
		if _, _, err := s.AnnounceReport(ReportRecord{ID: id, TextHash: "h" + id, URL: "https://example.gov.cn/" + id}); err != nil {
			return err
		}
		// Move a few entries through the send states too, so a kill can
		// also land in those transactions.
		for c := int64(1); c <= 3; c++ {
			d, err := s.BeginSend(id, c)
			if err != nil {
				return err
			}
			if err := s.MarkSent(d, int(c)); err != nil {
				return err
			}
		}
		fmt.Fprintf(out, "committed %d\n", n+1)
		out.Flush()
	}
}

// TestTornWrite kills a child process writing to the store at random points
// (most of its time is spent inside commits) and checks after each kill that
// the file opens, passes bbolt's page check and govbot's own invariants,
// keeps every transaction the child saw committed, and holds every announce
// whole: a report recorded with all its outbox entries, or not at all.
func TestTornWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	path := t.TempDir() + "/" + FileName
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 5 {
		t.Run(fmt.Sprint("kill", round), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), tornChildEnv+"="+path)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := make(chan int, 1000)
			go func() {
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					if n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "committed ")); err == nil {
						lines <- n
					}
				}
				close(lines)
			}()
			// Wait for the first commit, then let it run a random while.
			first, ok := <-lines
			if !ok {
				cmd.Wait()
				t.Fatal("child exited before committing")
			}
			time.Sleep(time.Duration(20+rng.IntN(150)) * time.Millisecond)
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			confirmed := first
			for n := range lines {
				confirmed = n
			}
			cmd.Wait()

			s, err := Open(path, nil)
			if err != nil {
				t.Fatalf("open after kill: %v", err)
			}
			defer s.Close()
			if err := s.Check(); err != nil {
				t.Fatalf("inconsistent after kill: %v", err)
			}
			recs, err := s.Reports()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) < confirmed {
				t.Fatalf("child confirmed %d announces, store has %d reports: committed data lost", confirmed, len(recs))
			}
			ds, err := s.Deliveries("")
			if err != nil {
				t.Fatal(err)
			}
			perReport := map[string]int{}
			for _, d := range ds {
				perReport[d.ReportID]++
			}
			for _, r := range recs {
				if perReport[r.ID] != tornSubscribers {
					t.Fatalf("report %s has %d outbox entries, want %d: torn announce", r.ID, perReport[r.ID], tornSubscribers)
				}
			}
			t.Logf("killed after %d confirmed announces; store has %d reports, %d entries, consistent", confirmed, len(recs), len(ds))
		})
	}
}

// TestTornMetaPage simulates a power cut during the last commit's final
// write, the one a process kill cannot show (the kernel still writes what a
// killed process handed it): the newer of bbolt's two meta pages is left
// with a bad checksum. The store must open on the older one, consistent,
// with the last commit gone and everything before it intact.
func TestTornMetaPage(t *testing.T) {
	path := t.TempDir() + "/" + FileName
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Subscribe(Subscription{ChatID: 1, Kind: KindPrivate}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AnnounceReport(ReportRecord{ID: "before", TextHash: "h1"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AnnounceReport(ReportRecord{ID: "torn", TextHash: "h2"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Meta pages are pages 0 and 1; in each, after the 16-byte page header:
	// magic, version, page size, flags (4 bytes each), root bucket (16),
	// freelist, high-water page (8 each), txid (8), checksum (8).
	pageSize := int64(os.Getpagesize())
	const txidOff, sumOff = 16 + 16 + 16 + 16, 16 + 16 + 16 + 16 + 8
	txid := func(page int64) uint64 {
		var b [8]byte
		if _, err := f.ReadAt(b[:], page*pageSize+txidOff); err != nil {
			t.Fatal(err)
		}
		return binary.LittleEndian.Uint64(b[:])
	}
	newer := int64(0)
	if txid(1) > txid(0) {
		newer = 1
	}
	var sum [1]byte
	f.ReadAt(sum[:], newer*pageSize+sumOff)
	sum[0] ^= 0xff
	if _, err := f.WriteAt(sum[:], newer*pageSize+sumOff); err != nil {
		t.Fatal(err)
	}
	f.Close()

	s, err = Open(path, nil)
	if err != nil {
		t.Fatalf("open with a torn meta page: %v", err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Fatalf("inconsistent: %v", err)
	}
	if _, err := s.Report("before"); err != nil {
		t.Errorf("commit before the torn one lost: %v", err)
	}
	if _, err := s.Report("torn"); err == nil {
		t.Error("the torn commit survived: the test did not tear the newest meta page")
	}
	if ds, _ := s.Deliveries("before"); len(ds) != 1 {
		t.Errorf("outbox of the surviving report: %d entries, want 1", len(ds))
	}
}
