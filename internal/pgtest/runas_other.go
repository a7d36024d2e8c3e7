//go:build !linux

package pgtest

import (
	"os/user"
	"syscall"
)

// runAs fails: the throwaway server is run on Linux only.
func runAs() (*syscall.SysProcAttr, *user.User, error) {
	return nil, nil, errUnsupported
}
