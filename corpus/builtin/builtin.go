// Package builtin holds the built-in collection: the shared reports
// (../shared/reports with its MANIFEST.tsv: State Council reports since
// 1954, provincial, city and county reports) embedded in the binary as a
// zstd-compressed tar, so that govbot answers on a machine that has no
// reports of its own.
//
// The archive is generated from ../shared/reports and committed, so that
// the module builds from a clean clone:
//
//	go generate ./corpus/builtin
package builtin

//go:generate go run ./gen -src ../../../shared/reports -out reports.tar.zst

import (
	"archive/tar"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/govbot/govbot/corpus"
	"github.com/klauspost/compress/zstd"
)

//go:embed reports.tar.zst
var archive []byte

// maxFile bounds one file of the archive when it is unpacked.
const maxFile = 64 << 20

// Files returns the files of the built-in collection by name (report .txt
// files and MANIFEST.tsv), unpacked from the embedded archive.
func Files() (map[string][]byte, error) {
	dec, err := zstd.NewReader(bytes.NewReader(archive), zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("built-in collection: %w", err)
	}
	defer dec.Close()
	files := map[string][]byte{}
	tr := tar.NewReader(dec)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("built-in collection: %w", err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if h.Size > maxFile {
			return nil, fmt.Errorf("built-in collection: %s: %d bytes", h.Name, h.Size)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("built-in collection: %s: %w", h.Name, err)
		}
		files[path.Base(h.Name)] = b
	}
	if len(files) == 0 {
		return nil, errors.New("built-in collection: empty archive")
	}
	return files, nil
}

// Reports parses the reports of the built-in collection with the metadata
// of its manifest, in file name order, as corpus.LoadDir parses a folder.
func Reports() ([]*corpus.Report, error) {
	files, err := Files()
	if err != nil {
		return nil, err
	}
	manifest := map[string]corpus.Meta{}
	if m, ok := files[corpus.ManifestName]; ok {
		if manifest, err = corpus.ParseManifest(m); err != nil {
			return nil, fmt.Errorf("built-in collection: %s: %w", corpus.ManifestName, err)
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		if strings.HasSuffix(name, ".txt") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	reports := make([]*corpus.Report, 0, len(names))
	for _, name := range names {
		r, err := corpus.Parse(name, files[name], manifest[name])
		if err != nil {
			return nil, fmt.Errorf("built-in collection: %w", err)
		}
		reports = append(reports, r)
	}
	return reports, nil
}
