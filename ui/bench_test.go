package ui

import (
	"image"
	"testing"
	"time"

	"github.com/ebmlab/ebmlab/model/train"
)

// benchmarkRender draws every view of s at 600×400 pixels, as the render
// goroutine does for a snapshot whose inputs all changed.
func benchmarkRender(b *testing.B, s func(int) *train.Snapshot) {
	o := defaultViewOptions()
	for v := range numViews {
		o.size[v] = image.Pt(600, 400)
	}
	snaps := []*train.Snapshot{s(20), s(21)}
	b.ReportAllocs()
	var r renderer
	for i := 0; b.Loop(); i++ {
		r.render(snaps[i%2], o, time.Now(), true)
	}
}

func BenchmarkRenderImages(b *testing.B) { benchmarkRender(b, imageSnapshot) }
func BenchmarkRenderPoints(b *testing.B) { benchmarkRender(b, pointsSnapshot) }
