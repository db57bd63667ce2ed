package ui

import (
	"encoding/csv"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"strconv"

	"github.com/ebmlab/ebmlab/model/checkpoint"
)

// exportNames are the file-name stems and descriptions of the views that
// can be exported as PNG.
var exportNames = map[view]struct{ stem, what string }{
	samplesView: {"samples", "samples picture"},
	chainView:   {"chain", "chain filmstrip"},
	curvesView:  {"curves", "training curves"},
}

// picture draws view v of the newest snapshot as the screen shows it,
// with the curve choices in force and at the size laid out on screen.
func (f *fileMenu) picture(v view) (image.Image, error) {
	x := f.x
	x.mu.Lock()
	s, o := x.latest, x.view.clone()
	x.mu.Unlock()

	what := exportNames[v].what
	if s == nil {
		return nil, fmt.Errorf("no %s to export yet: wait until the window shows it", what)
	}
	var img image.Image
	var caption string
	switch v {
	case samplesView:
		img, caption = drawSamples(s, o)
	case chainView:
		img, caption = drawChain(s, o)
	case curvesView:
		if len(s.History) == 0 {
			return nil, fmt.Errorf("no %s to export yet: train at least one iteration first", what)
		}
		img, caption = drawCurves(s, o)
	default:
		panic(fmt.Sprintf("ui: no export for view %d", v))
	}
	if img == nil {
		return nil, fmt.Errorf("no %s to export yet (%s): train first", what, caption)
	}
	return img, nil
}

// showExportPicture draws view v at once, so that the file holds what the
// screen showed when the menu was chosen, then shows a save dialog for it.
func (f *fileMenu) showExportPicture(v view) {
	img, err := f.picture(v)
	if err != nil {
		f.showError(err)
		return
	}
	name := fmt.Sprintf("%s-%d.png", exportNames[v].stem, f.x.eng.Iteration())
	f.showSaveFile(name, func(path string) <-chan error { return f.writePNG(img, exportNames[v].what, path) })
}

// exportPicture draws view v of the newest snapshot and saves it to path
// as PNG.
func (f *fileMenu) exportPicture(v view, path string) <-chan error {
	img, err := f.picture(v)
	if err != nil {
		return f.background("Export", func() (string, error) { return "", err })
	}
	return f.writePNG(img, exportNames[v].what, path)
}

// writePNG saves img to path atomically.
func (f *fileMenu) writePNG(img image.Image, what, path string) <-chan error {
	return f.background("Export", func() (string, error) {
		err := checkpoint.WriteAtomic(path, func(w io.Writer) error { return png.Encode(w, img) })
		if err != nil {
			return "", writeError(what, err)
		}
		b := img.Bounds()
		return fmt.Sprintf("Saved the %s, %d×%d pixels, to %s.", what, b.Dx(), b.Dy(), path), nil
	})
}

func (f *fileMenu) showExportMetrics() {
	f.showSaveFile("metrics.csv", f.exportMetrics)
}

// exportMetrics saves the metrics of every accepted iteration to path as
// CSV.
func (f *fileMenu) exportMetrics(path string) <-chan error {
	return f.background("Export", func() (string, error) {
		if err := f.x.eng.SaveMetricsCSV(f.ctx, path); err != nil {
			return "", writeError("metrics", err)
		}
		return fmt.Sprintf("Saved the metrics of %d iterations to %s.", f.x.eng.Iteration(), path), nil
	})
}

func (f *fileMenu) showExportBuffer() {
	f.showSaveFile(fmt.Sprintf("buffer-%d.npy", f.x.eng.Iteration()), f.exportBuffer)
}

// exportBuffer saves the replay buffer to path as a NumPy array.
func (f *fileMenu) exportBuffer(path string) <-chan error {
	return f.background("Export", func() (string, error) {
		if err := f.x.eng.SaveBufferNPY(f.ctx, path); err != nil {
			return "", writeError("replay buffer", err)
		}
		return fmt.Sprintf("Saved the replay buffer to %s. Read it with numpy.load.", path), nil
	})
}

// errNoDrops is the error of an energy export without dropped files.
var errNoDrops = errors.New("no dropped files to export: drop image files on the window, or add them in the Dropped images tab, first")

func (f *fileMenu) showExportDropEnergies() {
	if len(f.x.dropItems()) == 0 {
		f.showError(errNoDrops)
		return
	}
	f.showSaveFile("dropped-energies.csv", f.exportDropEnergies)
}

// dropEnergiesHeader names the columns of the dropped-file energies CSV.
var dropEnergiesHeader = []string{"file", "energy", "percentile_held_out", "percentile_samples", "error"}

// exportDropEnergies saves the energies of the dropped files to path as
// CSV: one row per file with its energy and its percentiles among the
// held-out data and the last samples, as percentages. A file that could
// not be read or scored has empty numbers and the reason.
func (f *fileMenu) exportDropEnergies(path string) <-chan error {
	items := f.x.dropItems()
	return f.background("Export", func() (string, error) {
		if len(items) == 0 {
			return "", errNoDrops
		}
		err := checkpoint.WriteAtomic(path, func(w io.Writer) error { return writeDropEnergies(w, items) })
		if err != nil {
			return "", writeError("energies of dropped files", err)
		}
		return fmt.Sprintf("Saved the energies of %d dropped files to %s.", len(items), path), nil
	})
}

func writeDropEnergies(out io.Writer, items []dropItem) error {
	num := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	w := csv.NewWriter(out)
	if err := w.Write(dropEnergiesHeader); err != nil {
		return err
	}
	for _, d := range items {
		row := []string{d.path, "", "", "", ""}
		if d.err != nil {
			row[4] = d.err.Error()
		} else {
			row[1], row[2], row[3] = num(d.energy), num(d.pctData), num(d.pctSamples)
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
