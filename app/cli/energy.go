package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/ebmlab/ebmlab/model/ood"
	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/ui/imagein"
)

const energyUsage = "ebmlab energy --checkpoint FILE PATH..."

func runEnergy(ctx context.Context, args []string, env Env) error {
	fs := flag.NewFlagSet("energy", flag.ContinueOnError)
	ckpt := fs.String("checkpoint", "", "checkpoint written by ebmlab train or the window")
	if err := parseFlags(fs, args, true); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(fs, env.Stdout, energyUsage)
		}
		return err
	}
	if *ckpt == "" {
		return usagef("missing --checkpoint: give a checkpoint file written by ebmlab train")
	}
	if fs.NArg() == 0 {
		return usagef("no input files: list image files after the flags")
	}
	sc, err := train.LoadScorer(*ckpt)
	if err != nil {
		return usageError{err}
	}
	m := sc.Meta
	if m.Shape[0] == 2 && m.Shape[1] == 1 && m.Shape[2] == 1 {
		return usagef("checkpoint %s holds a 2-D point model (%s); energy of files needs an image model", *ckpt, m.Preset)
	}

	target := imagein.Target{C: m.Shape[0], H: m.Shape[1], W: m.Shape[2], Lo: m.Lo, Hi: m.Hi, Background: m.Lo}
	failed := 0
	e := make([]float32, 1)
	fmt.Fprintln(env.Stdout, "path\tenergy\tpercentile")
	for _, path := range fs.Args() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		res, err := imagein.DecodeFile(path, target, imagein.Options{})
		if err != nil {
			fmt.Fprintf(env.Stderr, "ebmlab energy: %v\n", err)
			failed++
			continue
		}
		sc.Net.Energy(e, res.Input)
		pct := ood.Percentile(sc.DataEnergies, float64(e[0]))
		fmt.Fprintf(env.Stdout, "%s\t%.6g\t%.1f\n", path, e[0], pct)
	}
	if failed > 0 {
		return usagef("%d of %d files could not be read (see the messages above)", failed, fs.NArg())
	}
	return nil
}
