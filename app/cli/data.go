package cli

import (
	"os"
	"slices"

	"github.com/ebmlab/ebmlab/model"
	"github.com/ebmlab/ebmlab/model/dataset"
)

// loadData resolves --data: a built-in name, or the path of an IDX image
// file (raw or gzipped), whose training set then doubles as held-out data.
func loadData(name string, seed uint64) (train, test *dataset.Dataset, err error) {
	if slices.Contains(dataset.Names(), name) {
		train, test, err = dataset.Load(name, seed)
		if err != nil {
			return nil, nil, usageError{err}
		}
		return train, test, nil
	}
	f, err := os.Open(name)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil, usagef("invalid --data %q: not a built-in data set (%v) and no such file", name, dataset.Names())
		}
		return nil, nil, usagef("cannot read --data %s: %v", name, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, nil, usagef("invalid --data %s: is a directory; give an IDX image file", name)
	}
	d, err := dataset.ReadIDX(f, nil)
	if err != nil {
		return nil, nil, usagef("invalid --data %s: %v", name, err)
	}
	d.Name = name
	return d, d, nil
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
