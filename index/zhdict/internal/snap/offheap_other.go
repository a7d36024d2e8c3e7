//go:build !unix

package snap

// offHeap returns a zeroed slice of n values; off unix systems it is an
// ordinary heap allocation.
func offHeap[T any](n int) ([]T, func()) { return make([]T, n), func() {} }
