// Package dictprefetch starts loading the Chinese dictionary (zhdict) while
// the rest of govbot's packages initialise, when the command line names a
// command that opens an index (and so segments text). Package initialisation
// takes some 35 ms before main runs; the dictionary (~50 ms of CPU) is the
// longest step of a cold `govbot ask`, so starting it here, on the other
// core, rather than when the index opens shortens the cold start.
//
// cmd/govbot imports it for its side effect only. It imports nothing of
// govbot but zhdict, so that it is initialised as early as zhdict is.
package dictprefetch

import (
	"os"

	"github.com/govbot/govbot/index/zhdict"
)

// Commands are the govbot commands that open an index: they load the
// dictionary anyway (index.OpenWith starts it too, later).
var Commands = map[string]bool{
	"add": true, "ask": true, "eval": true, "index": true,
	"reports": true, "serve": true, "watch": true, "web": true,
}

func init() {
	if len(os.Args) > 1 && Commands[os.Args[1]] {
		zhdict.Prefetch()
	}
}
