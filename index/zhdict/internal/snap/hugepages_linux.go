package snap

import "syscall"

// hugePages asks for transparent huge pages on mem, which the kernel gives
// anonymous memory only on request when transparent_hugepage is "madvise"
// (a common default). The trie is filled in one pass of scattered writes:
// with 4 KiB pages its ~6,000 first-touch page faults and TLB misses cost
// more CPU than the filling itself (a cold `govbot ask` took ~55 ms more).
// An error (a kernel without THP) changes nothing.
func hugePages(mem []byte) { _ = syscall.Madvise(mem, syscall.MADV_HUGEPAGE) }
