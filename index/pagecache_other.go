//go:build !linux

package index

// dropPageCache is dropPageCache of pagecache_linux.go: advice only Linux
// is given here.
func dropPageCache(dir string) {}
