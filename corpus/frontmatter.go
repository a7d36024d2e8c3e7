package corpus

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/govbot/govbot/internal/zhtext"
)

// ErrFrontMatter is wrapped by the errors Parse returns for a malformed
// front matter block.
var ErrFrontMatter = errors.New("bad front matter")

// frontMatterKeys maps accepted keys to canonical names.
var frontMatterKeys = map[string]string{
	"id": "id", "title": "title", "标题": "title",
	"issuer": "issuer", "发布机构": "issuer",
	"speaker": "speaker",
	"date":    "date", "published": "date", "发文日期": "date",
	"year": "year", "url": "url", "source": "source",
	"doc_number": "doc", "文号": "doc",
	"index_number": "index", "索引号": "index",
	"topic": "topic", "主题分类": "topic",
}

// splitFrontMatter separates a leading front matter block from text. It
// returns the parsed metadata, the body, and the number of lines before the
// body (so that body line numbers can refer to the whole file).
func splitFrontMatter(text string) (Meta, string, int, error) {
	var meta Meta
	rest := text
	skipped := 0
	// Leading blank lines.
	for {
		l, r, ok := strings.Cut(rest, "\n")
		if !ok || strings.TrimFunc(l, unicode.IsSpace) != "" {
			break
		}
		rest = r
		skipped++
	}
	first, after, ok := strings.Cut(rest, "\n")
	if strings.TrimRight(first, "\r") != "---" {
		return meta, text, 0, nil
	}
	if !ok {
		return meta, text, 0, fmt.Errorf("front matter: no closing ---: %w", ErrFrontMatter)
	}
	lineNo := skipped + 1
	rest = after
	for {
		l, r, ok := strings.Cut(rest, "\n")
		lineNo++
		l = strings.TrimRight(l, "\r")
		if l == "---" {
			return meta, r, lineNo, nil
		}
		if err := frontMatterLine(&meta, l); err != nil {
			return meta, text, 0, fmt.Errorf("front matter line %d: %w", lineNo, err)
		}
		if !ok {
			return meta, text, 0, fmt.Errorf("front matter: no closing ---: %w", ErrFrontMatter)
		}
		rest = r
	}
}

func frontMatterLine(meta *Meta, l string) error {
	l = strings.TrimFunc(l, unicode.IsSpace)
	if l == "" || strings.HasPrefix(l, "#") {
		return nil
	}
	i := strings.IndexAny(l, zhtext.Colons)
	if i < 0 {
		return fmt.Errorf("%q is not key: value: %w", l, ErrFrontMatter)
	}
	key := strings.ToLower(strings.TrimSpace(l[:i]))
	sep := ":"
	if strings.HasPrefix(l[i:], "：") {
		sep = "："
	}
	value := strings.TrimFunc(l[i+len(sep):], unicode.IsSpace)
	if len(value) >= 2 && (value[0] == '"' && value[len(value)-1] == '"' || value[0] == '\'' && value[len(value)-1] == '\'') {
		value = value[1 : len(value)-1]
	}
	canon, ok := frontMatterKeys[key]
	if !ok {
		return fmt.Errorf("unknown key %q: %w", key, ErrFrontMatter)
	}
	if value == "" {
		return nil
	}
	switch canon {
	case "id":
		meta.ID = value
	case "title":
		meta.Title = value
	case "issuer":
		meta.Issuer = value
	case "speaker":
		meta.Speaker = value
	case "date":
		d, err := parseMetaDate(value)
		if err != nil {
			return err
		}
		meta.Published = d
	case "year":
		y, err := strconv.Atoi(value)
		if err != nil || y < 1900 || y > 2200 {
			return fmt.Errorf("bad year %q: %w", value, ErrFrontMatter)
		}
		meta.Year = y
	case "url":
		meta.URL = value
	case "source":
		meta.Source = value
	case "doc":
		meta.DocNumber = value
	case "index":
		meta.IndexNumber = value
	case "topic":
		meta.Topic = value
	}
	return nil
}

// parseMetaDate accepts YYYY-MM-DD or a Chinese date (2024年2月28日).
func parseMetaDate(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, rest, ok := parseDatePrefix(normalizeDigits(s)); ok && strings.TrimSpace(rest) == "" {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("bad date %q (want YYYY-MM-DD): %w", s, ErrFrontMatter)
}
