package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"

	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/ood"
	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/ui/imagein"
)

const energyUsage = "ebmlab energy --checkpoint FILE [--ood] [PATH...]"

func runEnergy(ctx context.Context, args []string, env Env) error {
	fs := flag.NewFlagSet("energy", flag.ContinueOnError)
	ckpt := fs.String("checkpoint", "", "checkpoint written by ebmlab train or the window")
	oodTable := fs.Bool("ood", false, "print the energy AUROC of the checkpoint's held-out data against noise, flipped, inverted and other data sets")
	if err := parseFlags(fs, args, true); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(fs, env.Stdout, energyUsage)
		}
		return err
	}
	if *ckpt == "" {
		return usagef("missing --checkpoint: give a checkpoint file written by ebmlab train")
	}
	if fs.NArg() == 0 && !*oodTable {
		return usagef("no input files: list image files after the flags, or give --ood")
	}
	if err := mustExist("--checkpoint", *ckpt, "a checkpoint written by ebmlab train or the window"); err != nil {
		return err
	}
	sc, err := train.LoadScorer(*ckpt)
	if err != nil {
		return usageError{err}
	}
	m := sc.Meta
	if m.Shape[0] == 2 && m.Shape[1] == 1 && m.Shape[2] == 1 {
		return usagef("invalid --checkpoint %s: it contains a 2-D point model (%s), but scoring files needs an image model; give a checkpoint trained on images", *ckpt, m.Preset)
	}

	if *oodTable {
		if err := printOOD(ctx, sc, env); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			return nil
		}
		fmt.Fprintln(env.Stdout)
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

// printOOD loads the held-out set of the data named in the checkpoint and
// prints the AUROC table of train.EvaluateOOD.
func printOOD(ctx context.Context, sc *train.Scorer, env Env) error {
	m := sc.Meta
	var test *dataset.Dataset
	var err error
	if slices.Contains(dataset.Names(), m.Data) {
		_, test, err = dataset.Load(m.Data, m.Seed)
	} else {
		_, test, err = dataset.Open(ctx, m.Data, m.Seed, nil)
	}
	if err != nil {
		return usagef("cannot load the checkpoint's data %q for --ood: %w", m.Data, err)
	}
	if test.C != m.Shape[0] || test.H != m.Shape[1] || test.W != m.Shape[2] {
		return usagef("data %q has shape %d×%d×%d but the checkpoint's model takes %d×%d×%d", m.Data, test.C, test.H, test.W, m.Shape[0], m.Shape[1], m.Shape[2])
	}

	sets, notes := train.OODSets(test, train.DefaultOODSize, m.Seed)
	report, err := train.EvaluateOOD(ctx, sc.Net, m.Data, train.HeldOutInputs(test, train.DefaultOODSize), sets, nil)
	if err != nil {
		return err
	}
	report.Notes = notes
	return report.WriteTable(env.Stdout)
}
