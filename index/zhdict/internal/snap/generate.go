package snap

import (
	"fmt"

	"github.com/go-ego/gse"
)

// Generate loads gse's embedded simplified Chinese dictionary exactly as
// gse.Segmenter.LoadDictEmbed("zh_s") does and returns its snapshot. It takes
// about as long as that load (a second or two). Linking it embeds gse's
// dictionaries (~38 MB) in the binary, so only the generator and tests call it.
func Generate() ([]byte, error) {
	seg, err := Reference()
	if err != nil {
		return nil, err
	}
	return Encode(seg)
}

// Reference returns a segmenter loaded with gse's own loader,
// LoadDictEmbed("zh_s"): the reference the snapshot must reproduce.
func Reference() (*gse.Segmenter, error) {
	seg := new(gse.Segmenter)
	seg.SkipLog = true
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		return nil, fmt.Errorf("snap: load gse zh_s: %w", err)
	}
	return seg, nil
}
