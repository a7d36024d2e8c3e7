package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/govbot/govbot/bot/bottest"
)

func init() {
	register(&command{
		Name:    "fakeapi",
		Summary: "serve a fake Telegram Bot API on 127.0.0.1 to try the bot without a token",
		Run:     runFakeAPI,
	})
}

// fakeAPIMaxPoll caps the fake's long polls, so that a stopped bot's
// last poll ends soon.
const fakeAPIMaxPoll = 25 * time.Second

func runFakeAPI(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("fakeapi", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	listen := fs.String("listen", "127.0.0.1:8081", "address to serve the fake Bot API on (keep it on 127.0.0.1)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: govbot-dev fakeapi [--listen ADDR]\n\nServes a fake Telegram Bot API and a REPL that plays the user. In another terminal:\n  govbot serve --api-url http://ADDR --token 123:TEST\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	srv, err := bottest.Listen(*listen)
	if err != nil {
		return err
	}
	defer srv.Close()
	srv.SetMaxPoll(fakeAPIMaxPoll)
	return srv.Console(ctx, e.stdin, e.stdout)
}
