package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/corpus"
)

func init() {
	register(&command{Name: "ask", Summary: "answer a question (\"-\" reads one question per line from stdin)", Run: runAsk})
}

func runAsk(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per question")
	explain := fs.Bool("explain", false, "print to stderr how each question was understood, which rules scored the best candidates, and why the answer won")
	data := fs.String("data", "", "data directory with the index (env GOVBOT_DATA); see --corpus for one with no index")
	corpusF := corpusFlag(fs)
	var cf cacheFlags // bounds of the index's caches (index.go), as serve's
	cf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: govbot ask [--json] [--explain] [--data DIR] [--corpus builtin|sample] \"问题\" | -")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("%w: ask needs a question, or - to read questions from stdin", errUsage)
	}
	if err := cf.apply(e); err != nil {
		return err
	}
	eng, err := openDataEngine(ctx, e, *corpusF, *data)
	if err != nil {
		return err
	}
	defer eng.Close()
	if *explain {
		ctx = answer.WithExplain(ctx, e.stderr)
	}

	// The questions of one invocation are one conversation: "这份报告"
	// refers to the report of the previous answer.
	var session answer.Session
	answerOne := func(q string) error {
		a, err := eng.AskIn(ctx, &session, q)
		if err != nil {
			return fmt.Errorf("answer %q: %w", q, err)
		}
		if *asJSON {
			return answer.WriteJSON(e.stdout, a)
		}
		_, err = fmt.Fprintln(e.stdout, a.Reply)
		return err
	}

	if fs.NArg() == 1 && fs.Arg(0) == "-" {
		// One answer line per input line, in order, so that batch callers can
		// zip questions and answers; a blank line gets an abstention.
		r := bufio.NewReaderSize(e.stdin, 64*1024)
		first := true
		for {
			line, err := r.ReadString('\n')
			if line != "" || err == nil {
				q := questionText(strings.TrimRight(line, "\r\n"))
				if !*asJSON && !first {
					fmt.Fprintln(e.stdout)
				}
				first = false
				if aerr := answerOne(q); aerr != nil {
					return aerr
				}
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read questions: %w", err)
			}
		}
	}
	return answerOne(questionText(strings.Join(fs.Args(), " ")))
}

// questionText returns a question as UTF-8. A terminal or script on a
// Chinese-locale Windows machine sends GB18030/GBK, which is decoded; text
// that is neither is passed on as it is, and the engine says it did not
// understand it.
func questionText(raw string) string {
	if utf8.ValidString(raw) {
		return raw
	}
	if s, _, err := corpus.Decode([]byte(raw), ""); err == nil {
		return s
	}
	return raw
}

// parseFlags parses flags that may come before or after the positional
// arguments ("govbot ask 问题 --json" works as well as "govbot ask --json 问题").
func parseFlags(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			pos = append(pos, rest[1:]...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}
