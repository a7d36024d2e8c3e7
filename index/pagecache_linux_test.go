package index

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/govbot/govbot/corpus"
	"golang.org/x/sys/unix"
)

// TestBuildDropsPageCache checks that the segments a build wrote are not
// left in the page cache (see dropPageCache): few of their pages are
// resident once Update returns.
func TestBuildDropsPageCache(t *testing.T) {
	dir := t.TempDir()
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil || st.Type == unix.TMPFS_MAGIC {
		t.Skip("a temporary folder in memory: its pages are its storage")
	}
	all, _ := sharedReports(t)
	var reports []*corpus.Report
	for i := 0; i < len(all); i += 4 {
		reports = append(reports, all[i])
	}
	if _, err := Update(context.Background(), dir, reports); err != nil {
		t.Fatal(err)
	}
	gen, err := os.ReadFile(filepath.Join(dir, currentFile))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, strings.TrimSpace(string(gen)), bleveDir, "store", "*.zap"))
	if len(files) == 0 {
		t.Fatal("no segment written")
	}
	var pages, resident int
	for _, p := range files {
		n, r := residentPages(t, p)
		pages, resident = pages+n, resident+r
	}
	if resident*4 > pages {
		t.Errorf("%d of the segments' %d pages are in the page cache after the build, want few", resident, pages)
	}
}

// residentPages maps the file at p and counts its pages in the page cache.
func residentPages(t *testing.T, p string) (pages, resident int) {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return 0, 0
	}
	data, err := unix.Mmap(int(f.Fd()), 0, int(fi.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(data)
	vec := make([]byte, (len(data)+os.Getpagesize()-1)/os.Getpagesize())
	if _, _, e := syscall.Syscall(syscall.SYS_MINCORE, uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)), uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		t.Fatal(e)
	}
	for _, v := range vec {
		resident += int(v & 1)
	}
	return len(vec), resident
}
