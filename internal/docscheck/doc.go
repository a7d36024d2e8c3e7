// Package docscheck runs the shell examples of README.md and docs/*.md as a
// test, so that the commands the documentation shows keep working.
//
// A fenced block whose info string is exactly "sh" is run; any other info
// string ("sh norun", "console", "text", "ini", …) is shown but not run. Mark
// a block norun when it needs a real Telegram token, root, Docker or the
// network, or when it does not end by itself (serve, web, govbot-dev fakeapi).
//
// The blocks of one file run in order, in one bash each (errexit, pipefail),
// from the repository root, with freshly built govbot and govbot-dev first on PATH, a
// temporary GOVBOT_DATA shared by the file's blocks (so an empty one
// starts from the embedded Fang County sample), and no bot token. A
// block that exits non-zero fails the test with its output.
package docscheck
