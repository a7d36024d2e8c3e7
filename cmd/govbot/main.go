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
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	// Starts loading the dictionary during package initialisation.
	_ "github.com/govbot/govbot/cmd/govbot/internal/dictprefetch"
	"github.com/govbot/govbot/internal/cli"
)

// command is one govbot subcommand. Each lives in a file of its own and
// registers itself from init, so that adding a command touches one file.
type command = cli.Command[*env]

// program is govbot's command line: its name, usage listing and commands.
var program = &cli.Program[*env]{
	Name:     "govbot",
	About:    "govbot answers questions about Chinese government work reports.",
	Synopsis: "COMMAND [flags] [args]",
}

func register(c *command) { program.Register(c) }

// env is what a command may touch of the process, so tests can run commands
// in-process with their own streams and environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// errUsage marks errors caused by wrong arguments: exit status 2.
var errUsage = cli.ErrUsage

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(ctx, e, os.Args[1:]))
}

// run runs the command line args and returns the exit status.
func run(ctx context.Context, e *env, args []string) int {
	return program.Run(ctx, e, e.stdout, e.stderr, args)
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
