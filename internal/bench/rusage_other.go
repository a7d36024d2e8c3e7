//go:build !unix

package bench

import (
	"os"
	"time"
)

// cpuTime is not measured off unix systems.
func cpuTime() time.Duration { return 0 }

// maxRSS is not measured off unix systems.
func maxRSS(*os.ProcessState) int64 { return 0 }
