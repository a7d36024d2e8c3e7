package source

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"time"
)

// DefaultInterval is how often govbot serve polls the sources when the
// config does not say.
const DefaultInterval = 30 * time.Minute

// minInterval keeps a mistyped interval from hammering government sites.
const minInterval = time.Minute

// Config is the sources config file (JSON):
//
//	{
//	  "interval": "30m",
//	  "admins": [123456789],
//	  "sources": [
//	    {"name": "hubei", "url": "https://www.hubei.gov.cn/zwgk/zfgzbg/",
//	     "link": "/t\\d{8}_\\d+\\.shtml$", "issuer": "湖北省人民政府"},
//	    {"name": "inbox", "folder": "/srv/govbot/inbox"}
//	  ]
//	}
//
// See source/README.md for every field.
type Config struct {
	// Interval is the poll interval of govbot serve.
	Interval time.Duration `json:"-"`
	// Admins are Telegram user IDs allowed /stats and /announce.
	Admins []int64 `json:"admins"`
	// Sources are the listing pages and folders to watch.
	Sources []Source `json:"sources"`
}

// Source is one watched source: a listing page with a link pattern, or a
// local folder.
type Source struct {
	// Name identifies the source in the state file and in messages; it must
	// be unique and should not change (renaming forgets which links were seen).
	Name string `json:"name"`
	// URL is a listing page; Link is the regular expression that the
	// absolute URL of a report link on it must match.
	URL  string `json:"url,omitempty"`
	Link string `json:"link,omitempty"`
	// Folder is a local directory whose .txt and .html files are reports.
	Folder string `json:"folder,omitempty"`
	// Issuer, when set, is the issuer of every report from this source,
	// overriding what the page says.
	Issuer string `json:"issuer,omitempty"`
	// AnnounceExisting announces the reports found on the first poll too;
	// by default those are indexed quietly, so that adding a source with
	// ten years of reports does not flood the subscribers.
	AnnounceExisting bool `json:"announce_existing,omitempty"`
	// AllowPrivate lets this source's fetches reach internal addresses
	// (loopback, private, link-local, unique-local, CGNAT): for an intranet
	// site. Off by default: see ErrInternalAddress.
	AllowPrivate bool `json:"allow_private,omitempty"`
	// LinkHosts are further host names whose report links are followed
	// from the listing page ("*" for any); by default only links to the
	// listing page's own host are.
	LinkHosts []string `json:"link_hosts,omitempty"`

	linkRE *regexp.Regexp
}

// LinkPattern returns the compiled Link pattern (nil for a folder).
func (s *Source) LinkPattern() *regexp.Regexp { return s.linkRE }

// ErrConfig is wrapped by every config file error.
var ErrConfig = errors.New("bad sources config")

// LoadConfig reads and checks the config file at path.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sources config: %w", err)
	}
	c, err := ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ParseConfig parses and checks a config file's content.
func ParseConfig(data []byte) (*Config, error) {
	var raw struct {
		Config
		Interval string `json:"interval"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		line := 0
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line = bytes.Count(data[:se.Offset], []byte("\n")) + 1
		case errors.As(err, &te):
			line = bytes.Count(data[:te.Offset], []byte("\n")) + 1
		}
		if line > 0 {
			return nil, fmt.Errorf("line %d: %v: %w", line, err, ErrConfig)
		}
		return nil, fmt.Errorf("%v: %w", err, ErrConfig)
	}
	c := raw.Config
	c.Interval = DefaultInterval
	if raw.Interval != "" {
		d, err := time.ParseDuration(raw.Interval)
		if err != nil {
			return nil, fmt.Errorf("interval %q: %v: %w", raw.Interval, err, ErrConfig)
		}
		if d < minInterval {
			return nil, fmt.Errorf("interval %s is shorter than %s: %w", d, minInterval, ErrConfig)
		}
		c.Interval = d
	}
	names := map[string]bool{}
	for i := range c.Sources {
		s := &c.Sources[i]
		switch {
		case s.Name == "":
			return nil, fmt.Errorf("source %d has no name: %w", i+1, ErrConfig)
		case names[s.Name]:
			return nil, fmt.Errorf("source name %q used twice: %w", s.Name, ErrConfig)
		case (s.URL == "") == (s.Folder == ""):
			return nil, fmt.Errorf("source %q: give either url (a listing page) or folder: %w", s.Name, ErrConfig)
		case s.URL != "" && s.Link == "":
			return nil, fmt.Errorf("source %q: a listing page needs a link pattern: %w", s.Name, ErrConfig)
		}
		names[s.Name] = true
		if s.URL != "" {
			re, err := regexp.Compile(s.Link)
			if err != nil {
				return nil, fmt.Errorf("source %q: link pattern: %v: %w", s.Name, err, ErrConfig)
			}
			s.linkRE = re
		}
	}
	return &c, nil
}
