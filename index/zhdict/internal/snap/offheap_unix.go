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
func offHeap[T any](n int) ([]T, func()) {
	size := n * int(unsafe.Sizeof(*new(T)))
	if size == 0 {
		return nil, func() {}
	}
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return make([]T, n), func() {}
	}
	hugePages(mem)
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(mem))), n), func() { _ = syscall.Munmap(mem) }
}
