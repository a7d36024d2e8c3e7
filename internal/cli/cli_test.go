package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
)

// testProgram has one command of each outcome; its env is the stream the
// commands write to.
func testProgram() *Program[io.Writer] {
	p := &Program[io.Writer]{Name: "prog", About: "prog does things.", Synopsis: "COMMAND [flags]"}
	p.Register(&Command[io.Writer]{Name: "ok", Summary: "succeeds", Run: func(_ context.Context, w io.Writer, args []string) error {
		fmt.Fprintf(w, "ok %q\n", args)
		return nil
	}})
	p.Register(&Command[io.Writer]{Name: "fail", Summary: "fails", Run: func(context.Context, io.Writer, []string) error {
		return errors.New("broken")
	}})
	p.Register(&Command[io.Writer]{Name: "flags", Summary: "takes flags and no arguments", Run: func(_ context.Context, w io.Writer, args []string) error {
		fs := flag.NewFlagSet("flags", flag.ContinueOnError)
		fs.SetOutput(w)
		fs.Bool("v", false, "verbose")
		return ParseNoArgs(fs, args)
	}})
	return p
}

// TestRun checks the exit status and what Run writes where for each kind
// of command line.
func TestRun(t *testing.T) {
	const listing = "prog does things.\n\nUsage: prog COMMAND [flags]\n\nCommands:\n" +
		"  fail       fails\n" +
		"  flags      takes flags and no arguments\n" +
		"  ok         succeeds\n" +
		"\nRun \"prog COMMAND -h\" for a command's flags.\n"
	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		wantStdout string // the whole of stdout
		wantStderr string // contained in stderr
	}{
		{"no arguments", nil, ExitUsage, listing, ""},
		{"help", []string{"help"}, ExitOK, listing, ""},
		{"-h", []string{"-h"}, ExitOK, listing, ""},
		{"--help", []string{"--help"}, ExitOK, listing, ""},
		{"unknown", []string{"nope"}, ExitUsage, "", "prog: unknown command \"nope\"\n" + listing},
		{"success", []string{"ok", "a", "b"}, ExitOK, "", `ok ["a" "b"]`},
		{"failure", []string{"fail"}, ExitError, "", "prog fail: broken\n"},
		{"command help", []string{"flags", "-h"}, ExitOK, "", "-v\tverbose"},
		{"bad flag", []string{"flags", "-x"}, ExitUsage, "", "prog flags: usage: flag provided but not defined: -x\n"},
		{"extra arguments", []string{"flags", "-v", "x"}, ExitUsage, "", "prog flags: usage: unexpected arguments [\"x\"]\n"},
		{"flags only", []string{"flags", "-v"}, ExitOK, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := testProgram().Run(context.Background(), io.Writer(&errOut), &out, &errOut, tc.args)
			if code != tc.code || out.String() != tc.wantStdout || !strings.Contains(errOut.String(), tc.wantStderr) {
				t.Errorf("prog %q: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr with %q",
					tc.args, code, out.String(), errOut.String(), tc.code, tc.wantStdout, tc.wantStderr)
			}
			if tc.wantStderr == "" && errOut.Len() > 0 {
				t.Errorf("prog %q: stderr %q, want none", tc.args, errOut.String())
			}
		})
	}
}

// TestNoArgs checks the check on its own, as a command that parses its
// flags its own way uses it.
func TestNoArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want error
	}{
		{nil, nil},
		{[]string{"-v"}, nil},
		{[]string{"-v", "--", "x"}, ErrUsage},
		{[]string{"x", "-v"}, ErrUsage},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.Bool("v", false, "")
		if err := fs.Parse(tc.args); err != nil {
			t.Fatalf("parse %q: %v", tc.args, err)
		}
		if err := NoArgs(fs); !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
			t.Errorf("NoArgs after %q = %v, want %v", tc.args, err, tc.want)
		}
	}
}
