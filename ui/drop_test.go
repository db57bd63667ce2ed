package ui

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/train"
)

// newMNISTExplorer runs a small mnist-cnn engine that feeds an explorer
// whose UI functions the test runs from a queue.
func newMNISTExplorer(t *testing.T) (*Explorer, *train.Engine, uiQueue, *dataset.Dataset) {
	t.Helper()
	trainSet, testSet, err := dataset.Load("mnist", 1)
	if err != nil {
		t.Fatal(err)
	}
	s := train.DefaultSettings("mnist-cnn", float64(trainSet.Lo), float64(trainSet.Hi))
	s.Batch, s.BufferSize, s.Sampler.Steps = 8, 32, 2

	var explorer atomic.Pointer[Explorer]
	eng, err := train.NewEngine(train.EngineConfig{
		Trainer:        train.Config{Data: trainSet, Preset: "mnist-cnn", Seed: 1, Settings: s},
		Test:           testSet,
		VisibleChains:  2,
		HistogramEvery: 200 * time.Millisecond,
		QualityEvery:   time.Hour,
		OnSnapshot: func(s *train.Snapshot) {
			if x := explorer.Load(); x != nil {
				x.OnSnapshot(s)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})

	x, _, _ := newTestExplorer(t, eng, Options{})
	q := useUIQueue(x)
	explorer.Store(x)
	eng.SetRunning(true)
	return x, eng, q, testSet
}

// drainUntil runs queued UI functions until ok holds.
func drainUntil(t *testing.T, q uiQueue, what string, ok func() bool) {
	t.Helper()
	deadline := time.After(waitLimit)
	for !ok() {
		select {
		case f := <-q:
			f()
		case <-deadline:
			t.Fatalf("not %s within %v", what, waitLimit)
		}
	}
}

// drop drops paths onto x and waits until they are read.
func drop(t *testing.T, x *Explorer, q uiQueue, paths ...string) {
	t.Helper()
	uris := make([]fyne.URI, len(paths))
	for i, p := range paths {
		uris[i] = storage.NewFileURI(p)
	}
	x.HandleDrop(fyne.NewPos(10, 10), uris)
	drainUntil(t, q, "done reading", func() bool { return !x.dropsBusy() })
}

func writePNG(t *testing.T, path string, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// digitImage converts sample i of d, in [-1, 1], to an 8-bit grey image.
func digitImage(d *dataset.Dataset, i int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, d.W, d.H))
	for j, v := range d.Sample(i) {
		img.Pix[j] = uint8(math.Round(float64(v+1) / 2 * 255))
	}
	return img
}

func noiseImage(seed uint64) *image.Gray {
	rng := rand.New(rand.NewPCG(seed, 1))
	img := image.NewGray(image.Rect(0, 0, 28, 28))
	for j := range img.Pix {
		img.Pix[j] = uint8(rng.IntN(256))
	}
	return img
}

// hugePNG returns a PNG signature and header declaring w×h pixels, with no
// pixel data.
func hugePNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 0 // 8-bit grey
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestDropMalformedFiles(t *testing.T) {
	x, eng, q, testSet := newMNISTExplorer(t)
	dir := t.TempDir()

	good := filepath.Join(dir, "digit.png")
	goodBytes := writePNG(t, good, digitImage(testSet, 0))
	drop(t, x, q, good)
	if items := x.dropItems(); len(items) != 1 || items[0].err != nil {
		t.Fatalf("first drop: %+v, want one converted file", items)
	}

	emptyFolder := filepath.Join(dir, "nothing here")
	if err := os.Mkdir(emptyFolder, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		content []byte // nil: no file is written
		want    string // part of the message
	}{
		{"empty.png", []byte{}, "file is empty"},
		{"notes.png", []byte("these are notes, not pixels"), "not a supported image format"},
		{"truncated.png", goodBytes[:len(goodBytes)/2], "corrupt or truncated"},
		{"huge.png", hugePNG(100000, 100000), "too many pixels"},
		{"missing.png", nil, "file not found"},
		{"readme.txt", []byte("plain text"), "not a supported image format"},
		{"nothing here", nil, "contains no image files"},
	}
	paths := make([]string, len(cases))
	for i, tc := range cases {
		paths[i] = filepath.Join(dir, tc.name)
		if tc.content != nil {
			if err := os.WriteFile(paths[i], tc.content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := eng.Iteration()
	drop(t, x, q, paths...)

	items := x.dropItems()
	if len(items) != 1+len(cases) {
		t.Fatalf("%d items after the drops, want %d", len(items), 1+len(cases))
	}
	if items[0].path != good || items[0].err != nil {
		t.Errorf("earlier drop changed: %s, %v", items[0].path, items[0].err)
	}
	for i, tc := range cases {
		d := items[1+i]
		if d.err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		msg := errorText(d.err)
		if !strings.Contains(msg, tc.name) || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: message %q, want the file name and %q", tc.name, msg, tc.want)
		}
	}

	// The list shows each message, and the engine keeps training.
	x.dropUI.list.Select(3)
	if !strings.Contains(x.dropUI.details.Text, "truncated.png") {
		t.Errorf("details %q do not name the selected file", x.dropUI.details.Text)
	}
	drainUntil(t, q, "training", func() bool { return eng.Iteration() > before })
}

func TestDropDigitAndNoise(t *testing.T) {
	x, _, q, testSet := newMNISTExplorer(t)
	dir := t.TempDir()
	digit := filepath.Join(dir, "digit.png")
	writePNG(t, digit, digitImage(testSet, 3))
	noise := filepath.Join(dir, "noise.png")
	writePNG(t, noise, noiseImage(9))

	// Wait for held-out energies, so that percentiles can be computed.
	drainUntil(t, q, "a histogram", func() bool {
		x.mu.Lock()
		defer x.mu.Unlock()
		return x.latest != nil && len(x.latest.DataEnergies) > 0 && len(x.latest.SampleEnergies) > 0
	})
	drop(t, x, q, digit, noise)

	items := x.dropItems()
	if len(items) != 2 {
		t.Fatalf("%d items, want 2", len(items))
	}
	for _, d := range items {
		if d.err != nil {
			t.Fatalf("%s: %v", d.name(), d.err)
		}
		if math.IsNaN(d.energy) || math.IsInf(d.energy, 0) {
			t.Errorf("%s: energy %v", d.name(), d.energy)
		}
		if !(d.pctData >= 0 && d.pctData <= 100) || !(d.pctSamples >= 0 && d.pctSamples <= 100) {
			t.Errorf("%s: percentiles %v and %v, want values in [0, 100]", d.name(), d.pctData, d.pctSamples)
		}
	}

	x.mu.Lock()
	markers := x.view.markers
	x.mu.Unlock()
	if len(markers) != 2 || markers[0].Label != "digit.png" || markers[1].Label != "noise.png" {
		t.Errorf("markers %+v, want one per dropped file", markers)
	}
	if !strings.Contains(x.dropUI.status.Text, "2 files") {
		t.Errorf("status %q", x.dropUI.status.Text)
	}

	// Clearing one item keeps the other and its marker.
	x.removeDrop(0)
	if items := x.dropItems(); len(items) != 1 || items[0].name() != "noise.png" {
		t.Errorf("after removing the first item: %d items", len(items))
	}
	x.mu.Lock()
	markers = x.view.markers
	x.mu.Unlock()
	if len(markers) != 1 {
		t.Errorf("%d markers after removing one item, want 1", len(markers))
	}
	x.removeDrop(-1)
	if len(x.dropItems()) != 0 {
		t.Error("Clear all left items")
	}
}

func TestOODTable(t *testing.T) {
	x, _, q, testSet := newMNISTExplorer(t)
	dir := t.TempDir()
	digit := filepath.Join(dir, "digit.png")
	writePNG(t, digit, digitImage(testSet, 5))
	drop(t, x, q, digit)

	x.oodUI.size = 50
	x.computeOOD()
	drainUntil(t, q, "OOD scores", func() bool { return x.oodUI.stop == nil })
	r := x.oodUI.report
	if r == nil {
		t.Fatalf("no report: %s", x.oodUI.caption.Text)
	}
	names := map[string]bool{}
	for _, row := range r.Rows {
		names[row.Name] = true
		if !(row.AUROC >= 0 && row.AUROC <= 1) {
			t.Errorf("%s: AUROC %v outside [0, 1]", row.Name, row.AUROC)
		}
	}
	for _, want := range []string{"uniform noise", "Gaussian noise", "flipped left-right", "inverted intensity", "dropped files"} {
		if !names[want] {
			t.Errorf("no row for %s", want)
		}
	}
	if cells := len(x.oodUI.table.Objects); cells != 4*(2+len(r.Rows)) {
		t.Errorf("table has %d cells, want 4 columns × %d rows", cells, 2+len(r.Rows))
	}
	if x.oodUI.plot.Image == nil {
		t.Error("no histogram")
	}
}

func TestHiddenMask(t *testing.T) {
	cases := []struct {
		name string
		want string // rows of a 1×2×4 mask, h = hidden
	}{
		{"top half", "hhhh...."},
		{"bottom half", "....hhhh"},
		{"left half", "hh..hh.."},
		{"right half", "..hh..hh"},
	}
	for _, tc := range cases {
		m := hiddenMask(tc.name, 1, 2, 4)
		var b strings.Builder
		for _, h := range m {
			if h {
				b.WriteByte('h')
			} else {
				b.WriteByte('.')
			}
		}
		if b.String() != tc.want {
			t.Errorf("%s: mask %s, want %s", tc.name, b.String(), tc.want)
		}
	}
}

func TestDropOnPointModel(t *testing.T) {
	eng := newEngine(t, nil, false)
	x, _, _ := newTestExplorer(t, eng, Options{})
	q := useUIQueue(x)
	path := filepath.Join(t.TempDir(), "digit.png")
	writePNG(t, path, noiseImage(1))
	drop(t, x, q, path)
	items := x.dropItems()
	if len(items) != 1 || items[0].err == nil || !strings.Contains(errorText(items[0].err), "not images") {
		t.Errorf("items %+v, want one error saying the model does not take images", items)
	}
}
