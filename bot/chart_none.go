//go:build nochart

package bot

import (
	"errors"

	"github.com/govbot/govbot/answer"
)

// chartsBuilt is false: this build (tag nochart) has no plotting library.
const chartsBuilt = false

// RenderChart fails: this build has no charts.
func RenderChart(*answer.Answer) ([]byte, error) {
	return nil, errors.New("chart: built with the nochart tag")
}
