//go:build !unix

package index

import (
	"errors"
	"fmt"
	"os"
)

var errLocked = errors.New("locked")

// tryLock opens path; other systems get no lock between processes (updates
// of one directory in one process are still serialised).
func tryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("index: lock %s: %w", path, err)
	}
	return f, nil
}
