// Command govbot-dev holds govbot's developer tools, kept out of the
// shipped govbot binary so that it links neither the fake Bot API nor the
// benchmark harness.
//
// Usage:
//
//	govbot-dev fakeapi [--listen ADDR]   a fake Telegram Bot API and a prompt that plays the user
//	govbot-dev bench [flags]             compare govbot's index and answers with bleve's cjk analyzer
//
// Run "govbot-dev help" for every command.
package main

import (
	"context"
	"flag"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/govbot/govbot/internal/cli"
)

// command is one govbot-dev subcommand, registered from its file's init.
type command = cli.Command[*env]

// program is govbot-dev's command line: its name, usage listing and commands.
var program = &cli.Program[*env]{
	Name:     "govbot-dev",
	About:    "govbot-dev holds govbot's developer tools (not part of the govbot binary).",
	Synopsis: "COMMAND [flags]",
}

func register(c *command) { program.Register(c) }

// env is what a command may touch of the process, so tests can run
// commands in-process with their own streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// errUsage marks errors caused by wrong arguments: exit status 2.
var errUsage = cli.ErrUsage

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

// run runs the command line args and returns the exit status.
func run(ctx context.Context, e *env, args []string) int {
	return program.Run(ctx, e, e.stdout, e.stderr, args)
}

// parseNoArgs parses the flags of a command that takes no arguments; given
// arguments, it also prints the command's flags.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if err := cli.NoArgs(fs); err != nil {
		fs.Usage()
		return err
	}
	return nil
}
