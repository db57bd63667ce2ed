package ui

import (
	"fmt"
	"image"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/ui/render"
)

func TestViewsUpdateFromSnapshot(t *testing.T) {
	cases := []struct {
		name         string
		snap         *train.Snapshot
		captionWords [numViews]string // a word each card caption must contain
	}{
		{"images", imageSnapshot(7), [numViews]string{"16 samples", "3 frames", "held-out", "7 accepted"}},
		{"points", pointsSnapshot(5), [numViews]string{"32 samples", "4 frames", "held-out", "5 accepted"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eng := newEngine(t, nil, false)
			x, _, _ := newTestExplorer(t, eng, Options{})

			x.update(tc.snap)

			for v := range numViews {
				img := x.pictureOf(v)
				if img == nil {
					t.Errorf("view %d: no picture; caption %q", v, x.captions[v].Text)
					continue
				}
				if img.Bounds().Empty() {
					t.Errorf("view %d: empty picture", v)
				}
				if n := colourCount(img, 3); n < 3 {
					t.Errorf("view %d: %d colours, want a drawn picture", v, n)
				}
				if !strings.Contains(x.captions[v].Text, tc.captionWords[v]) {
					t.Errorf("view %d: caption %q does not contain %q", v, x.captions[v].Text, tc.captionWords[v])
				}
			}
			wantIteration := "iteration " + strconv.Itoa(tc.snap.Iteration)
			if !strings.Contains(x.status.Text, wantIteration) {
				t.Errorf("status %q does not contain %q", x.status.Text, wantIteration)
			}
			if !strings.Contains(x.status.Text, "BLAS: gonum") {
				t.Errorf("status %q does not name the backend", x.status.Text)
			}
			if x.message.Text != tc.snap.Message {
				t.Errorf("message = %q, want %q", x.message.Text, tc.snap.Message)
			}
		})
	}
}

func TestStatusShowsRates(t *testing.T) {
	s := imageSnapshot(3)
	s.Running = true
	s.Elapsed = 65 * time.Minute
	got := statusText(s)
	for _, want := range []string{"training", "iteration 3", "2.5 it/s", "150 Langevin steps/s", "19.2k sample-steps/s", "σ²/(2λ) = 1.25e-06", "elapsed 1:05:00"} {
		if !strings.Contains(got, want) {
			t.Errorf("status %q does not contain %q", got, want)
		}
	}
}

func TestCurveSelectionRedraws(t *testing.T) {
	eng := newEngine(t, nil, false)
	x, _, _ := newTestExplorer(t, eng, Options{})
	s := imageSnapshot(9)
	x.update(s)
	before := x.pictureOf(curvesView)

	if !slices.Contains(x.curveSelect.Options, train.QualityRecognisable) {
		t.Fatalf("curve menu %v lacks the quality figure", x.curveSelect.Options)
	}
	x.curveSelect.SetSelected([]string{curveLoss, train.QualityRecognisable})
	x.logY.SetChecked(true)
	x.update(s)

	if got := x.view.curves; !slices.Equal(got, []string{curveLoss, train.QualityRecognisable}) {
		t.Errorf("selected curves = %v", got)
	}
	if !x.view.logY {
		t.Error("log scale not passed to the renderer")
	}
	if x.pictureOf(curvesView) == before {
		t.Error("curves not redrawn after the selection changed")
	}
}

func TestRendererSkipsUnchangedAndSlowViews(t *testing.T) {
	var r renderer
	o := defaultViewOptions()
	now := time.Unix(1000, 0)
	s := pointsSnapshot(4)

	f := r.render(s, o, now, false)
	for v := range numViews {
		if f.pictures[v] == nil {
			t.Errorf("first render: view %d not drawn (%q)", v, f.captions[v])
		}
	}

	// Same inputs: nothing to draw.
	f = r.render(s, o, now.Add(50*time.Millisecond), false)
	for v := range numViews {
		if f.pictures[v] != nil {
			t.Errorf("unchanged snapshot: view %d drawn again", v)
		}
	}

	// New samples 100 ms after the first draw: the landscape waits, and a
	// retry is due.
	next := pointsSnapshot(5)
	f = r.render(next, o, now.Add(100*time.Millisecond), false)
	if f.pictures[samplesView] != nil {
		t.Error("landscape redrawn within the slow-view interval")
	}
	if f.retry <= 0 || f.retry > slowViewInterval {
		t.Errorf("retry = %v, want within (0, %v]", f.retry, slowViewInterval)
	}
	if f.pictures[histogramView] == nil {
		t.Error("histogram with new energies not drawn")
	}

	f = r.render(next, o, now.Add(100*time.Millisecond), true)
	if f.pictures[samplesView] == nil {
		t.Error("forced render skipped the landscape")
	}
}

func TestMarkersRedrawHistogram(t *testing.T) {
	eng := newEngine(t, nil, false)
	x, _, _ := newTestExplorer(t, eng, Options{})
	s := imageSnapshot(2)
	x.update(s)
	before := x.pictureOf(histogramView)

	x.SetEnergyMarkers([]render.Marker{{Label: "digit.png", Value: 0.5}})
	x.update(s)

	if x.pictureOf(histogramView) == before {
		t.Error("histogram not redrawn after markers were set")
	}
	if got := x.view.markers; len(got) != 1 || got[0].Label != "digit.png" {
		t.Errorf("markers = %v", got)
	}
}

func TestEventsBanner(t *testing.T) {
	eng := newEngine(t, nil, false)
	x, _, _ := newTestExplorer(t, eng, Options{})
	s := imageSnapshot(4)
	s.Events = []train.GuardEvent{{
		Iteration:  5,
		Cause:      "energy of input 3 is NaN",
		RolledBack: "model and optimiser restored to their state before iteration 4",
		Suggestion: "lower the learning rate or raise α",
	}}
	s.EventCount = 1

	x.update(s)
	if !x.banner.Visible() {
		t.Fatal("banner hidden after a guard event")
	}
	for _, want := range []string{"Iteration 5", "NaN", "restored", "lower the learning rate"} {
		if !strings.Contains(x.bannerText.Text, want) {
			t.Errorf("banner %q does not contain %q", x.bannerText.Text, want)
		}
	}
	if n := eventEntries(x); n != 1 {
		t.Errorf("event list has %d entries, want 1", n)
	}

	x.dismissBanner()
	x.update(s)
	if x.banner.Visible() {
		t.Error("banner shown again for a dismissed event")
	}

	later := imageSnapshot(6)
	later.Events = append(slices.Clone(s.Events), train.GuardEvent{Iteration: 7, Cause: "Langevin diverged"})
	later.EventCount = 2
	x.update(later)
	if !x.banner.Visible() || !strings.Contains(x.bannerText.Text, "Iteration 7") {
		t.Errorf("banner for the new event: visible %v, text %q", x.banner.Visible(), x.bannerText.Text)
	}
	if n := eventEntries(x); n != 2 {
		t.Errorf("event list has %d entries, want 2", n)
	}
	if got := x.eventsCard.Subtitle; got != "2 rejected iterations, newest first" {
		t.Errorf("events subtitle %q", got)
	}

	// A new model restarts the count; its first event shows again.
	fresh := imageSnapshot(1)
	fresh.Events = s.Events
	fresh.EventCount = 1
	x.update(fresh)
	if !x.banner.Visible() || eventEntries(x) != 1 {
		t.Errorf("after a new model: banner visible %v, %d list entries; want true and 1", x.banner.Visible(), eventEntries(x))
	}
}

// eventEntries counts the events listed in the guard card.
func eventEntries(x *Explorer) int {
	n := 0
	for _, o := range x.eventsBox.Objects {
		if _, ok := o.(*widget.Label); ok {
			n++
		}
	}
	return n
}

func TestBlockMeans(t *testing.T) {
	cases := []struct {
		name         string
		x, y         []float64
		limit        int
		wantX, wantY []float64
	}{
		{"short", []float64{1, 2}, []float64{3, 4}, 5, []float64{1, 2}, []float64{3, 4}},
		{"pairs", []float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, 2, []float64{1.5, 3.5}, []float64{15, 35}},
		{"ragged", []float64{1, 2, 3, 4, 5}, []float64{1, 1, 1, 1, 7}, 2, []float64{2, 4.5}, []float64{1, 4}},
		{"NaN kept", []float64{1, 2, 3, 4}, []float64{1, math.NaN(), 1, 1}, 2, []float64{1.5, 3.5}, []float64{math.NaN(), 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gotX, gotY := blockMeans(tc.x, tc.y, tc.limit)
			if !slices.Equal(gotX, tc.wantX) {
				t.Errorf("x = %v, want %v", gotX, tc.wantX)
			}
			if !slices.EqualFunc(gotY, tc.wantY, func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }) {
				t.Errorf("y = %v, want %v", gotY, tc.wantY)
			}
		})
	}
}

func TestFormatElapsed(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{0, "0:00"},
		{59*time.Second + 600*time.Millisecond, "1:00"},
		{61 * time.Second, "1:01"},
		{2*time.Hour + 3*time.Minute + 4*time.Second, "2:03:04"},
	}
	for _, tc := range cases {
		if got := formatElapsed(tc.d); got != tc.want {
			t.Errorf("formatElapsed(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestChainEnergyPlot(t *testing.T) {
	cases := []struct {
		name     string
		energies []float64
	}{
		{"finite", []float64{3, 1, 0.5}},
		{"with NaN and Inf", []float64{math.NaN(), 1, math.Inf(1)}},
		{"flat", []float64{2, 2, 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			img, err := drawChainEnergy([]int{0, 5, 10}, tc.energies, 400, 200)
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got != (image.Point{400, 200}) {
				t.Errorf("size %v, want 400×200", got)
			}
			if n := colourCount(img, 3); n < 3 {
				t.Errorf("%d colours, want axes and a line", n)
			}
		})
	}
}

func TestChainEnergyPlotPanicsOnLengths(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), "ui:") {
			t.Errorf("recovered %v, want a ui: panic", r)
		}
	}()
	drawChainEnergy([]int{0, 1}, []float64{1}, 400, 200)
}
