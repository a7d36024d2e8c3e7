//go:build unix && !linux

package snap

// hugePages does nothing where MADV_HUGEPAGE does not exist.
func hugePages([]byte) {}
