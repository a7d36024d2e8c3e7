package corpus

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ManifestName is the name of the manifest file LoadDir looks for.
const ManifestName = "MANIFEST.tsv"

// LoadManifest reads a tab-separated manifest of report files. The first
// row names the columns; file is required, and title, issuer, year, date
// (YYYY-MM-DD, may be empty), url, source and id are used when present
// (other columns, such as chars, are ignored, and the order does not
// matter). The url column (the original page) becomes Meta.URL, the link of
// citations; source is a provenance note (Meta.Source), except that without
// a url a source that is an http(s) URL becomes Meta.URL. Blank lines and lines starting with "#" are skipped. The map
// is keyed by the file column (a base name such as "2025-hubei-gwr.txt").
func LoadManifest(path string) (map[string]Meta, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load manifest: %w", err)
	}
	m, err := ParseManifest(data)
	if err != nil {
		return nil, fmt.Errorf("load manifest %s: %w", path, err)
	}
	return m, nil
}

// ParseManifest parses the content of a manifest file, as LoadManifest does.
func ParseManifest(data []byte) (map[string]Meta, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	cols := map[string]int{}
	out := map[string]Meta{}
	lineNo := 0
	for sc.Scan() {
		lineNo++
		l := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		fields := strings.Split(l, "\t")
		if len(cols) == 0 {
			for i, f := range fields {
				cols[strings.ToLower(strings.TrimSpace(f))] = i
			}
			if _, ok := cols["file"]; !ok {
				return nil, fmt.Errorf("line %d: header has no file column", lineNo)
			}
			continue
		}
		get := func(col string) string {
			if i, ok := cols[col]; ok && i < len(fields) {
				return strings.TrimSpace(fields[i])
			}
			return ""
		}
		file := get("file")
		if file == "" {
			return nil, fmt.Errorf("line %d: empty file name", lineNo)
		}
		if _, dup := out[file]; dup {
			return nil, fmt.Errorf("line %d: %s listed twice", lineNo, file)
		}
		meta := Meta{ID: get("id"), Title: get("title"), Issuer: get("issuer")}
		if y := get("year"); y != "" {
			n, err := strconv.Atoi(y)
			if err != nil || n < 1900 || n > 2200 {
				return nil, fmt.Errorf("line %d: bad year %q", lineNo, y)
			}
			meta.Year = n
		}
		if d := get("date"); d != "" {
			t, err := parseMetaDate(d)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", lineNo, err)
			}
			meta.Published = t
		}
		src, link := get("source"), get("url")
		switch {
		case isHTTP(link):
			meta.URL, meta.Source = link, src
		case isHTTP(src):
			meta.URL = src
		default:
			meta.Source = src
		}
		out[file] = meta
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, errors.New("no header row")
	}
	return out, nil
}

// LoadDir parses every .txt file in dir, in file name order. When dir holds
// a MANIFEST.tsv, its metadata overrides what each text says. A file that
// fails to parse is reported in the errors and left out; the others are
// still parsed. A manifest entry without its file is reported too. An
// unreadable directory or manifest is the only error that stops the load.
func LoadDir(dir string) ([]*Report, []error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, []error{fmt.Errorf("load %s: %w", dir, err)}
	}
	manifest := map[string]Meta{}
	if mp := filepath.Join(dir, ManifestName); fileExists(mp) {
		if manifest, err = LoadManifest(mp); err != nil {
			return nil, []error{err}
		}
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.EqualFold(filepath.Ext(e.Name()), ".txt") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var reports []*Report
	var errs []error
	for _, name := range names {
		r, err := ParseFile(filepath.Join(dir, name), manifest[name])
		if err != nil {
			errs = append(errs, fmt.Errorf("load %s: %w", dir, err))
			continue
		}
		reports = append(reports, r)
	}
	var missing []string
	for name := range manifest {
		if !fileExists(filepath.Join(dir, name)) {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	for _, name := range missing {
		errs = append(errs, fmt.Errorf("load %s: %s listed in %s: %w", dir, name, ManifestName, fs.ErrNotExist))
	}
	return reports, errs
}

func isHTTP(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
