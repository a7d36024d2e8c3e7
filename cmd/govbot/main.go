// Command govbot answers questions about Chinese government work reports
// with the exact figure and a cited excerpt, from the terminal or as a
// Telegram bot.
//
// Usage:
//
//	govbot ask [--json] "问题"|-      answer questions
//	govbot index DIR|FILE...         build or refresh the index
//	govbot reports                   list what is indexed
//	govbot serve                     run the Telegram bot
//	govbot web                       serve the web pages and JSON API
//
// Run "govbot help" for every command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"

	// Starts loading the dictionary during package initialisation.
	_ "github.com/govbot/govbot/cmd/govbot/internal/dictprefetch"
)

// command is one govbot subcommand. Each lives in a file of its own and
// registers itself from init, so that adding a command touches one file.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// env is what a command may touch of the process, so tests can run commands
// in-process with their own streams and environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// errUsage marks errors caused by wrong arguments: exit status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(ctx, e, os.Args[1:]))
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "govbot: unknown command %q\n", args[0])
		usage(e.stderr)
		return 2
	}
	if err := c.run(ctx, e, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(e.stderr, "govbot %s: %v\n", c.name, err)
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "govbot answers questions about Chinese government work reports.")
	fmt.Fprintln(w, "\nUsage: govbot COMMAND [flags] [args]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun \"govbot COMMAND -h\" for a command's flags.")
}

// dataDir resolves the data directory: the --data flag, then GOVBOT_DATA,
// then $XDG_DATA_HOME/govbot, then ~/.local/share/govbot.
func dataDir(e *env, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := e.getenv("GOVBOT_DATA"); v != "" {
		return v
	}
	if v := e.getenv("XDG_DATA_HOME"); v != "" {
		return filepath.Join(v, "govbot")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "govbot")
	}
	return "govbot-data"
}

// parseNoArgs parses the flags of a command that takes no arguments.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	return nil
}

// warnMissingData says on stderr when a data directory named by --data or
// GOVBOT_DATA does not exist: the command then answers from the embedded
// sample report (or starts an empty directory), which a mistyped path
// should not do silently.
func warnMissingData(e *env, flagValue, dir string) {
	if flagValue == "" && e.getenv("GOVBOT_DATA") == "" {
		return
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(e.stderr, "govbot: warning: data directory %s does not exist (check --data / GOVBOT_DATA): starting from the embedded sample report\n", dir)
	}
}
