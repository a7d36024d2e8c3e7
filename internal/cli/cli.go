// Package cli runs a program made of subcommands ("govbot ask", "govbot-dev
// bench"): it picks the command named by the first argument, prints the
// usage listing, and turns a command's error into a message and an exit
// status, so that every program of the module answers its command line the
// same way.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
)

// Exit statuses returned by [Program.Run].
const (
	ExitOK    = 0 // the command succeeded, or help was asked for
	ExitError = 1 // the command failed
	ExitUsage = 2 // the command line was wrong
)

// ErrUsage marks errors caused by wrong arguments; wrap it (fmt.Errorf with
// %w) and [Program.Run] exits with [ExitUsage] instead of [ExitError].
var ErrUsage = errors.New("usage")

// Command is one subcommand of a program. E is what the program hands each
// command of the process (its streams, its environment), so that tests can
// run commands in-process with their own.
type Command[E any] struct {
	Name    string // the word that selects it: "ask"
	Summary string // one line for the usage listing
	Run     func(ctx context.Context, env E, args []string) error
}

// Program is a command-line program made of subcommands. Its zero value
// with Name and About set is ready to take commands from [Program.Register].
type Program[E any] struct {
	Name     string // the program's name, which starts its messages: "govbot"
	About    string // the first line of the usage listing: what the program is
	Synopsis string // what follows the program's name in the usage line: "COMMAND [flags]"
	Commands map[string]*Command[E]
}

// Register adds c to the program under c.Name, replacing any command of
// that name. Commands usually register from their file's init.
func (p *Program[E]) Register(c *Command[E]) {
	if p.Commands == nil {
		p.Commands = map[string]*Command[E]{}
	}
	p.Commands[c.Name] = c
}

// Run runs the command named by args[0] with the remaining arguments and
// returns the exit status. No arguments print the usage listing on stdout
// and return [ExitUsage]; "help", "-h" and "--help" print it and return
// [ExitOK]; an unknown command is reported with the listing on stderr
// ([ExitUsage]). A command's error is printed on stderr as
// "PROGRAM COMMAND: error" and returns [ExitUsage] when it wraps
// [ErrUsage], else [ExitError]; [flag.ErrHelp] (the command printed its
// flags for -h) returns [ExitOK] silently.
func (p *Program[E]) Run(ctx context.Context, env E, stdout, stderr io.Writer, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		p.Usage(stdout)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	c, ok := p.Commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\n", p.Name, args[0])
		p.Usage(stderr)
		return ExitUsage
	}
	err := c.Run(ctx, env, args[1:])
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	fmt.Fprintf(stderr, "%s %s: %v\n", p.Name, c.Name, err)
	if errors.Is(err, ErrUsage) {
		return ExitUsage
	}
	return ExitError
}

// Usage writes the usage listing to w: About, the usage line and the
// commands in name order with their summaries.
func (p *Program[E]) Usage(w io.Writer) {
	fmt.Fprintln(w, p.About)
	fmt.Fprintf(w, "\nUsage: %s %s\n\nCommands:\n", p.Name, p.Synopsis)
	names := make([]string, 0, len(p.Commands))
	for n := range p.Commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, p.Commands[n].Summary)
	}
	fmt.Fprintf(w, "\nRun \"%s COMMAND -h\" for a command's flags.\n", p.Name)
}

// ParseFlags parses args into fs. It returns [flag.ErrHelp] as is (-h was
// given and fs printed its flags) and wraps [ErrUsage] around any other
// flag error.
func ParseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	return nil
}

// NoArgs returns an error wrapping [ErrUsage] when arguments are left in fs
// after its flags were parsed, for a command that takes none.
func NoArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", ErrUsage, fs.Args())
	}
	return nil
}

// ParseNoArgs parses the flags of a command that takes no arguments:
// [ParseFlags], then [NoArgs].
func ParseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := ParseFlags(fs, args); err != nil {
		return err
	}
	return NoArgs(fs)
}
