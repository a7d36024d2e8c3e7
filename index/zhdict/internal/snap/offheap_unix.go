//go:build unix

package snap

import (
	"syscall"
	"unsafe"
)

// offHeap returns a zeroed slice of n values in memory mapped outside the Go
// heap, and the function that unmaps it. T must hold no pointers.
//
// The trie's arrays (~24 MiB) live as long as the process and hold no
// pointers: on the heap they would only double the garbage collector's heap
// target (GOGC=100 lets the heap grow to twice the live data), which costs a
// long-running `govbot serve` ~25 MiB of RSS for nothing.
// madvHugepage is MADV_HUGEPAGE (linux), which package syscall does not
// name on every unix.
const madvHugepage = 14

func offHeap[T any](n int) ([]T, func()) {
	size := n * int(unsafe.Sizeof(*new(T)))
	if size == 0 {
		return nil, func() {}
	}
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return make([]T, n), func() {}
	}
	// Huge pages where the kernel allows them only on request
	// (transparent_hugepage=madvise): the trie is filled in one pass of
	// scattered writes, and with 4 KiB pages its ~6,000 first-touch page
	// faults and TLB misses cost more CPU than the filling itself. An
	// error (no THP support) changes nothing.
	_ = syscall.Madvise(mem, madvHugepage)
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(mem))), n), func() { _ = syscall.Munmap(mem) }
}
