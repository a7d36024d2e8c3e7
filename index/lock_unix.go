//go:build unix

package index

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// errLocked is returned by tryLock when another holder has the lock.
var errLocked = errors.New("locked")

// tryLock takes an exclusive advisory lock on the file path (created if
// needed) without waiting; the lock goes with the process, so a killed
// builder leaves none behind.
func tryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("index: lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, fmt.Errorf("index: lock %s: %w", path, err)
	}
	return f, nil
}
