package docscheck

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbot/govbot/internal/sharedtest"
)

// Limits of the docs check.
const (
	readmeMaxBytes = 15 * 1024       // the README is a user's guide, not a log
	blockTimeout   = 3 * time.Minute // one block; the slowest indexes the shared reports
	runnableInfo   = "sh"            // the info string of a block that runs
)

// block is one fenced shell example.
type block struct {
	file string // path relative to the repository root
	line int    // line of the opening fence, 1-based
	text string
}

// repoRoot is the module root, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root %s: %v", root, err)
	}
	return root
}

// docFiles lists README.md and docs/**/*.md, relative to root.
func docFiles(t *testing.T, root string) []string {
	t.Helper()
	files := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return files
}

// extract returns the fenced blocks of a Markdown text whose info string
// is exactly runnableInfo. Fences may be indented (inside list items);
// the indentation of the opening fence is removed from the block's lines.
func extract(file string, src []byte) ([]block, error) {
	var (
		blocks []block
		cur    *block
		indent string
		fence  string
		buf    strings.Builder
	)
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " \t")
		if fence == "" {
			if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
				fence = trimmed[:3]
				indent = line[:len(line)-len(trimmed)]
				info := strings.TrimSpace(strings.TrimLeft(trimmed, fence[:1]))
				if info == runnableInfo {
					cur = &block{file: file, line: n}
					buf.Reset()
				}
			}
			continue
		}
		if strings.HasPrefix(trimmed, fence) && strings.TrimSpace(strings.TrimLeft(trimmed, fence[:1])) == "" {
			if cur != nil {
				cur.text = buf.String()
				blocks = append(blocks, *cur)
				cur = nil
			}
			fence = ""
			continue
		}
		if cur != nil {
			buf.WriteString(strings.TrimPrefix(line, indent))
			buf.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if fence != "" {
		return nil, fmt.Errorf("%s: unclosed code fence", file)
	}
	return blocks, nil
}

func TestExtract(t *testing.T) {
	src := "# t\n```sh\necho one\n```\n\n```sh norun\ngovbot serve\n```\n- item:\n\n  ```sh\n  echo two\n  ```\n```text\n```sh\n```\n"
	got, err := extract("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []block{{"x.md", 2, "echo one\n"}, {"x.md", 11, "echo two\n"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("extract = %v, want %v", got, want)
	}
	if _, err := extract("y.md", []byte("```sh\necho\n")); err == nil {
		t.Error("an unclosed fence is not reported")
	}
}

// TestReadme keeps the README a short user's guide.
func TestReadme(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(src) > readmeMaxBytes {
		t.Errorf("README.md is %d bytes, more than %d: move details to docs/", len(src), readmeMaxBytes)
	}
	for _, marker := range []string{"<!-- section", "owner:"} {
		if bytes.Contains(src, []byte(marker)) {
			t.Errorf("README.md contains %q: no internal markers in user-facing text", marker)
		}
	}
}

// TestDocCommands runs every runnable shell block of the documentation.
func TestDocCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds govbot and govbot-dev and runs the documentation's commands")
	}
	root := repoRoot(t)
	shared := sharedtest.Dir(t)
	if _, err := os.Stat(filepath.Join(root, "..", "shared")); err != nil {
		t.Skipf("the documentation's examples use ../shared; %s is elsewhere", shared)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found")
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "./cmd/govbot", "./cmd/govbot-dev")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cleanCreated(t, root, "govbot", "govbot-dev", "govbot-data")

	for _, file := range docFiles(t, root) {
		src, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		blocks, err := extract(file, src)
		if err != nil {
			t.Fatal(err)
		}
		if len(blocks) == 0 {
			continue
		}
		t.Run(file, func(t *testing.T) {
			env := blockEnv(bin, t.TempDir())
			for _, b := range blocks {
				runBlock(t, root, env, b)
			}
		})
	}
}

// blockEnv is the environment of a block: govbot and govbot-dev first on PATH, its own
// data directory, and no bot token or settings of the developer's.
func blockEnv(bin, data string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TELEGRAM_") || strings.HasPrefix(name, "GOVBOT_") || name == "PATH" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GOVBOT_DATA="+data,
		"XDG_DATA_HOME="+filepath.Join(data, "xdg"), // nothing lands in the developer's home
	)
}

func runBlock(t *testing.T, root string, env []string, b block) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), blockTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-e", "-o", "pipefail", "-c", b.text)
	cmd.Dir = root
	cmd.Env = env
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("%s:%d: %v (after %s)\n--- block\n%s--- output\n%s", b.file, b.line, err, time.Since(start).Round(time.Millisecond), b.text, out)
		return
	}
	t.Logf("%s:%d ok in %s", b.file, b.line, time.Since(start).Round(time.Millisecond))
}

// cleanCreated removes, after the test, those of the named paths under root
// that the documentation's commands create (a built binary, a data folder).
func cleanCreated(t *testing.T, root string, names ...string) {
	t.Helper()
	for _, name := range names {
		path := filepath.Join(root, name)
		if _, err := os.Lstat(path); err == nil {
			continue // the developer's own; leave it
		}
		t.Cleanup(func() { os.RemoveAll(path) })
	}
}
