package ui

import (
	"fmt"
	"image"
	"image/color"
	stddraw "image/draw"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// chainEnergyColor is the orange that ui/render uses for samples.
var chainEnergyColor = color.RGBA{R: 0xd9, G: 0x5f, B: 0x02, A: 0xff}

// drawChainEnergy plots the energy of a recorded chain against its
// Langevin step, for 2-D data, whose chain states a filmstrip cannot show.
// It is drawn here because render.Curves labels its x axis "iteration".
// Frames with a non-finite energy are left out.
func drawChainEnergy(steps []int, energies []float64, widthPx, heightPx int) (*image.RGBA, error) {
	if len(steps) != len(energies) {
		panic(fmt.Sprintf("ui: %d chain steps for %d energies", len(steps), len(energies)))
	}
	xys := make(plotter.XYs, 0, len(steps))
	for i, e := range energies {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			continue
		}
		xys = append(xys, plotter.XY{X: float64(steps[i]), Y: e})
	}

	sans := font.Font{Typeface: "Liberation", Variant: "Sans"}
	p := plot.New()
	// The plot is short and wide, so the axis labels stay short and the
	// caption under it names the x axis.
	p.Y.Label.Text = "E(x)"
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 10)
		a.Tick.Label.Font = font.From(sans, 9)
	}
	p.Add(plotter.NewGrid())
	if len(xys) > 0 {
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, fmt.Errorf("plot chain energies: %w", err)
		}
		line.Color = chainEnergyColor
		line.Width = vg.Points(1.5)
		points.Color = chainEnergyColor
		points.Shape = draw.CircleGlyph{}
		points.Radius = vg.Points(2)
		p.Add(line, points)
	}

	// The canvas draws into a copy of the image it is given, so the result
	// is read back from the canvas.
	c := vgimg.NewWith(vgimg.UseImage(image.NewRGBA(image.Rect(0, 0, widthPx, heightPx))), vgimg.UseDPI(vgimg.DefaultDPI))
	p.Draw(draw.New(c))
	out, ok := c.Image().(*image.RGBA)
	if !ok {
		out = image.NewRGBA(c.Image().Bounds())
		stddraw.Draw(out, out.Bounds(), c.Image(), image.Point{}, stddraw.Src)
	}
	return out, nil
}
