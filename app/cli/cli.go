package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the command failed while working
	exitUsage = 2 // the command line or an input was invalid
)

// usageError marks an error caused by the command line or an input file,
// reported with exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// Env is the set of output streams and terminal facts a command uses
// besides its arguments.
type Env struct {
	Stdout, Stderr io.Writer
	// Terminal reports whether Stderr is a terminal, which turns on the
	// progress bar.
	Terminal bool
}

const topUsage = `usage: ebmlab [COMMAND] [FLAGS]

With no command, ebmlab opens the explorer window.

Commands:
  train    train a model headless; writes metrics.csv, samples.png and checkpoint.ebm
  energy   print the energy and percentile of image files under a checkpoint,
           or with --ood the AUROC of held-out data against out-of-distribution sets
  help     show this help, or "ebmlab help COMMAND" for a command's flags
`

// Main runs the command named by args[0] and returns the exit status.
func Main(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, topUsage)
		return exitUsage
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "train":
		err = runTrain(ctx, rest, env)
	case "energy":
		err = runEnergy(ctx, rest, env)
	case "help", "-h", "-help", "--help":
		if len(rest) == 1 && (rest[0] == "train" || rest[0] == "energy") {
			return Main(ctx, []string{rest[0], "-h"}, env)
		}
		fmt.Fprint(env.Stdout, topUsage)
		return exitOK
	default:
		fmt.Fprintf(env.Stderr, "ebmlab: unknown command %q: use train, energy or help\n", cmd)
		return exitUsage
	}

	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "ebmlab %s: %v\n", args[0], err)
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(env.Stderr, "ebmlab %s: interrupted\n", args[0])
		return exitError
	default:
		fmt.Fprintf(env.Stderr, "ebmlab %s: %v\n", args[0], err)
		return exitError
	}
}

// parseFlags parses args with fs, turning flag errors into usage errors
// and rejecting positional arguments unless positional is true.
func parseFlags(fs *flag.FlagSet, args []string, positional bool) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%v (see ebmlab help %s)", err, fs.Name())
	}
	if !positional && fs.NArg() > 0 {
		return usagef("unexpected argument %q: flags start with - (see ebmlab help %s)", fs.Arg(0), fs.Name())
	}
	return nil
}

// printHelp writes a command's usage line and flag defaults.
func printHelp(fs *flag.FlagSet, w io.Writer, usage string) {
	fmt.Fprintf(w, "usage: %s\n\nFlags:\n", usage)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}
