package ui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/ebmlab/ebmlab/model/ood"
	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/ui/imagein"
	"github.com/ebmlab/ebmlab/ui/render"
)

// maxDropMarkers bounds the dropped files marked on the energy histogram,
// because more labels than this overlap into an unreadable band.
const maxDropMarkers = 12

// dropScoreBatch is the number of dropped inputs scored at once.
const dropScoreBatch = 256

// dropProgressInterval is the minimum time between two progress updates
// while files are read.
const dropProgressInterval = 100 * time.Millisecond

// dropItem is one dropped file: its conversion or the reason it failed,
// and its energy under the model of the last score.
type dropItem struct {
	path       string
	res        *imagein.Result // nil when err is set
	target     imagein.Target  // input the file was converted to
	err        error
	energy     float64 // NaN until scored
	pctData    float64 // percentile among held-out data energies, NaN when unknown
	pctSamples float64 // percentile among the last samples' energies, NaN when unknown
}

func (d *dropItem) name() string { return filepath.Base(d.path) }

// dropState is the list of dropped files and the conversion options,
// shared by the UI goroutine and the goroutines that read and score files.
type dropState struct {
	mu       sync.Mutex
	items    []dropItem // replaced, never modified in place, once published
	version  int        // incremented with every change of items
	options  imagein.Options
	busy     bool
	cancel   context.CancelFunc
	scoredOn *float64 // first held-out energy of the snapshot last scored against
}

// dropTarget returns the input that the engine's model takes, or an error
// when it takes 2-D points.
func (x *Explorer) dropTarget() (imagein.Target, error) {
	in := x.eng.Model().InShape()
	s := x.eng.Settings().Sampler
	if in.C != 1 && in.C != 3 {
		return imagein.Target{}, fmt.Errorf("the current model takes %d×%d×%d inputs, not images: load an image data set first", in.C, in.H, in.W)
	}
	lo, hi := float32(s.Lo), float32(s.Hi)
	return imagein.Target{C: in.C, H: in.H, W: in.W, Lo: lo, Hi: hi, Background: lo}, nil
}

// HandleDrop reads the dropped files and folders off the UI goroutine and
// adds one entry per image file to the drop list, or one entry with the
// reason when a file cannot be used. It is the window's drop handler and
// runs on the UI goroutine.
func (x *Explorer) HandleDrop(_ fyne.Position, uris []fyne.URI) {
	paths := make([]string, 0, len(uris))
	var bad []dropItem
	for _, u := range uris {
		if u.Scheme() != "file" {
			bad = append(bad, dropItem{path: u.String(), err: fmt.Errorf("%s: not a local file (scheme %q); save it to disk and drop the file", u.String(), u.Scheme())})
			continue
		}
		paths = append(paths, u.Path())
	}
	x.addPaths(paths, bad)
}

// AddPaths adds the image files at paths, and every image file in the
// folders among them, to the drop list, as a drop would. It runs on the UI
// goroutine.
func (x *Explorer) AddPaths(paths []string) { x.addPaths(paths, nil) }

func (x *Explorer) addPaths(paths []string, bad []dropItem) {
	ds := &x.drops
	ds.mu.Lock()
	if ds.busy {
		ds.mu.Unlock()
		x.dropUI.status.SetText("still reading the previous files: wait or press Cancel, then drop again")
		return
	}
	ds.busy = true
	ctx, cancel := context.WithCancel(context.Background())
	ds.cancel = cancel
	opts := ds.options
	ds.mu.Unlock()
	x.showBusy(true, "reading files…")

	x.loops.Add(1)
	go func() {
		defer x.loops.Done()
		defer cancel()
		items := append(bad, x.readPaths(ctx, paths, opts)...)
		x.scoreItems(items)
		x.do(func() {
			ds.mu.Lock()
			ds.items = append(slices.Clone(ds.items), items...)
			ds.version++
			ds.busy = false
			ds.mu.Unlock()
			x.dropsChanged()
			if ctx.Err() != nil {
				x.dropUI.status.SetText(fmt.Sprintf("cancelled: kept the %d files read before", len(items)))
			}
		})
	}()
}

// reconvert reads every dropped file again with the current options and
// target. It runs on the UI goroutine.
func (x *Explorer) reconvert() {
	ds := &x.drops
	ds.mu.Lock()
	if ds.busy || len(ds.items) == 0 {
		ds.mu.Unlock()
		return
	}
	ds.busy = true
	ctx, cancel := context.WithCancel(context.Background())
	ds.cancel = cancel
	old := ds.items
	opts := ds.options
	ds.mu.Unlock()
	x.showBusy(true, "converting again…")

	x.loops.Add(1)
	go func() {
		defer x.loops.Done()
		defer cancel()
		items := make([]dropItem, len(old))
		target, terr := x.dropTarget()
		for i, d := range old {
			items[i] = d
			if ctx.Err() != nil || d.res == nil && !errors.Is(d.err, errNeedsConversion) {
				continue
			}
			items[i] = x.convert(d.path, target, terr, opts)
		}
		x.scoreItems(items)
		x.do(func() {
			ds.mu.Lock()
			ds.items = items
			ds.version++
			ds.busy = false
			ds.mu.Unlock()
			x.dropsChanged()
		})
	}()
}

// errNeedsConversion marks a file to convert again once the model takes
// images.
var errNeedsConversion = errors.New("needs conversion")

// convert decodes path into target, or records why it cannot.
func (x *Explorer) convert(path string, t imagein.Target, terr error, o imagein.Options) dropItem {
	d := dropItem{path: path, target: t, energy: math.NaN(), pctData: math.NaN(), pctSamples: math.NaN()}
	if terr != nil {
		d.err = fmt.Errorf("%s: %w (%w)", filepath.Base(path), terr, errNeedsConversion)
		return d
	}
	d.res, d.err = imagein.DecodeFile(path, t, o)
	return d
}

// readPaths decodes the files at paths and the image files in the folders
// among them, reporting progress on the UI goroutine. On cancellation it
// returns what it read so far.
func (x *Explorer) readPaths(ctx context.Context, paths []string, o imagein.Options) []dropItem {
	target, terr := x.dropTarget()
	var items []dropItem
	var last time.Time
	progress := func(text string, frac float64) {
		if time.Since(last) < dropProgressInterval {
			return
		}
		last = time.Now()
		x.do(func() { x.showProgress(text, frac) })
	}

	for _, p := range paths {
		if ctx.Err() != nil {
			break
		}
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			// DecodeFile names missing and unreadable files itself.
			items = append(items, x.convert(p, target, terr, o))
			continue
		}
		files, err := imagein.ListImages(ctx, p, func(found int) {
			progress(fmt.Sprintf("listing %s: %d images found", filepath.Base(p), found), -1)
		})
		if err != nil && ctx.Err() == nil {
			items = append(items, dropItem{path: p, err: fmt.Errorf("%s: %w; check the folder's permissions", filepath.Base(p), err)})
		}
		if len(files) == 0 && err == nil {
			items = append(items, dropItem{path: p, err: fmt.Errorf("%s: folder contains no image files (.png, .jpg, .gif, .bmp, .tif or .webp)", filepath.Base(p))})
		}
		for i, f := range files {
			if ctx.Err() != nil {
				break
			}
			progress(fmt.Sprintf("reading %s: %d of %d", filepath.Base(p), i+1, len(files)), float64(i+1)/float64(len(files)))
			items = append(items, x.convert(f, target, terr, o))
		}
	}
	return items
}

// scoreItems sets the energies and percentiles of the converted items in
// place, under the weights of Engine.Energy and against the newest
// snapshot. It returns the snapshot's held-out energies, which identify
// the weights.
func (x *Explorer) scoreItems(items []dropItem) *float64 {
	x.mu.Lock()
	s := x.latest
	x.mu.Unlock()
	var data, samples []float64
	if s != nil {
		data, samples = s.DataEnergies, s.SampleEnergies
	}

	var idx []int
	var batch []float32
	flush := func() {
		if len(idx) == 0 {
			return
		}
		energies, err := x.eng.Energy(batch, len(idx))
		for k, i := range idx {
			d := &items[i]
			if err != nil {
				// The model changed shape since the files were read.
				d.err = fmt.Errorf("%s: %w (%w)", d.name(), err, errNeedsConversion)
				d.res = nil
				continue
			}
			d.energy = energies[k]
			d.pctData = ood.Percentile(data, d.energy)
			d.pctSamples = ood.Percentile(samples, d.energy)
		}
		idx, batch = idx[:0], batch[:0]
	}
	for i := range items {
		if items[i].res == nil {
			continue
		}
		idx = append(idx, i)
		batch = append(batch, items[i].res.Input...)
		if len(idx) == dropScoreBatch {
			flush()
		}
	}
	flush()
	return first(data)
}

// rescoreDrops scores the drops again when s carries new held-out
// energies, which come with a new copy of the weights, and converts them
// again when the model's input changed. It runs on the render goroutine.
func (x *Explorer) rescoreDrops(s *train.Snapshot) {
	ds := &x.drops
	ds.mu.Lock()
	key := first(s.DataEnergies)
	if ds.busy || len(ds.items) == 0 || key == ds.scoredOn {
		ds.mu.Unlock()
		return
	}
	items, version := slices.Clone(ds.items), ds.version
	ds.mu.Unlock()

	target, terr := x.dropTarget()
	stale := false
	for _, d := range items {
		if d.res != nil && len(d.res.Input) != target.C*target.H*target.W || errors.Is(d.err, errNeedsConversion) && terr == nil {
			stale = true
		}
	}
	if stale {
		x.do(x.reconvert)
		return
	}

	scored := x.scoreItems(items)
	ds.mu.Lock()
	if ds.version != version {
		ds.mu.Unlock()
		return
	}
	ds.items = items
	ds.version++
	ds.scoredOn = scored
	ds.mu.Unlock()
	x.do(x.dropsChanged)
}

// dropMarkers returns the histogram markers of the first scored items.
func dropMarkers(items []dropItem) []render.Marker {
	var m []render.Marker
	for _, d := range items {
		if d.res == nil || math.IsNaN(d.energy) {
			continue
		}
		if len(m) == maxDropMarkers {
			break
		}
		m = append(m, render.Marker{Label: shorten(d.name(), 16), Value: d.energy})
	}
	return m
}

// shorten cuts s to at most n runes, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// removeDrop removes item i, or all items when i is negative. It runs on
// the UI goroutine.
func (x *Explorer) removeDrop(i int) {
	ds := &x.drops
	ds.mu.Lock()
	if ds.busy {
		ds.mu.Unlock()
		return
	}
	if i < 0 {
		ds.items = nil
	} else if i < len(ds.items) {
		ds.items = slices.Delete(slices.Clone(ds.items), i, i+1)
	}
	ds.version++
	ds.mu.Unlock()
	x.dropsChanged()
}

// cancelDrops stops the file reading in progress.
func (x *Explorer) cancelDrops() {
	x.drops.mu.Lock()
	if x.drops.cancel != nil {
		x.drops.cancel()
	}
	x.drops.mu.Unlock()
}

// dropItems returns the current drop list.
func (x *Explorer) dropItems() []dropItem {
	x.drops.mu.Lock()
	defer x.drops.mu.Unlock()
	return x.drops.items
}

// dropsBusy reports whether files are being read.
func (x *Explorer) dropsBusy() bool {
	x.drops.mu.Lock()
	defer x.drops.mu.Unlock()
	return x.drops.busy
}
