// Command ebmlab is EBM Lab: an explorer window that trains an
// energy-based model live, and headless commands (ebmlab help).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/ebmlab/ebmlab/app/cli"
	// Imported for its side effect: a language tag for Fyne under the C
	// locale, set before Fyne initialises.
	_ "github.com/ebmlab/ebmlab/app/internal/locale"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if len(os.Args) > 1 {
		code := cli.Main(ctx, os.Args[1:], cli.Env{
			Stdout:   os.Stdout,
			Stderr:   os.Stderr,
			Terminal: term.IsTerminal(int(os.Stderr.Fd())),
		})
		stop()
		os.Exit(code)
	}
	os.Exit(runWindow(ctx))
}
