package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/ebmlab/ebmlab/model"
	"github.com/ebmlab/ebmlab/model/dataset"
)

// loadData resolves --data: a built-in name, or a path that dataset.Open
// reads (a folder of images, an IDX file, a CIFAR-10 batch or a CSV of
// 2-D points). A data set cut to its size limit is used, with a warning
// on w.
func loadData(ctx context.Context, name string, seed uint64, w io.Writer) (train, test *dataset.Dataset, err error) {
	if slices.Contains(dataset.Names(), name) {
		train, test, err = dataset.Load(name, seed)
		if err != nil {
			return nil, nil, usageError{err}
		}
		return train, test, nil
	}
	if _, err := os.Stat(name); errors.Is(err, os.ErrNotExist) {
		return nil, nil, usagef("invalid --data %q: not a built-in data set (%v) and no such file or folder", name, dataset.Names())
	}
	train, test, err = dataset.Open(ctx, name, seed, nil)
	var limit *dataset.LimitError
	switch {
	case errors.As(err, &limit) && train != nil:
		fmt.Fprintf(w, "warning: %v\n", limit)
	case err != nil:
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, usagef("invalid --data %s: %v", name, err)
	}
	return train, test, nil
}

// presetFor returns the first preset whose input shape fits d.
func presetFor(d *dataset.Dataset) (string, error) {
	for _, name := range model.PresetNames() {
		in, err := model.PresetInShape(name)
		if err == nil && in.C == d.C && in.H == d.H && in.W == d.W {
			return name, nil
		}
	}
	return "", usagef("no model preset takes %d×%d×%d inputs like %s; presets: %v", d.C, d.H, d.W, d.Name, model.PresetNames())
}

// mustExist returns a usage error naming flag when path does not exist or
// cannot be read; expected describes the file the flag takes.
func mustExist(flag, path, expected string) error {
	_, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return usagef("invalid %s %s: no such file; give %s", flag, path, expected)
	case err != nil:
		return usagef("cannot read %s %s: %v", flag, path, err)
	}
	return nil
}
