package imagein

import (
	"image"
	"image/color"
	"math"
	"os"
	"strings"
	"testing"
)

// rgb16 is a 16×16 RGB target on [-1, 1] with a black background, the
// size of the quadrant fixtures, so that no resampling happens.
var rgb16 = Target{C: 3, H: 16, W: 16, Lo: -1, Hi: 1, Background: -1}

// checkQuadrants compares the input at the centre of each quadrant of an
// n×n quadrant image with the quadrant's colour, within tol.
func checkQuadrants(t *testing.T, target Target, input []float32, n int, tol float64) {
	t.Helper()
	for _, q := range []struct {
		x, y int
		c    color.RGBA
	}{
		{n / 4, n / 4, red},
		{3 * n / 4, n / 4, green},
		{n / 4, 3 * n / 4, blue},
		{3 * n / 4, 3 * n / 4, white},
	} {
		for c, v := range []uint8{q.c.R, q.c.G, q.c.B} {
			want := modelValue(target, float64(v)/255)
			if got := at(target, input, c, q.x, q.y); !near(got, want, tol) {
				t.Errorf("channel %d at (%d, %d) = %v, want %v ± %v", c, q.x, q.y, got, want, tol)
			}
		}
	}
}

func TestRoundTripFormats(t *testing.T) {
	quad := quadrants(16)
	for _, tc := range []struct {
		name   string
		format string
		data   func(t *testing.T) []byte
		tol    float64
	}{
		{"png", "png", func(t *testing.T) []byte { return encode(t, "png", toRGBA(quad)) }, 1e-6},
		{"paletted png", "png", func(t *testing.T) []byte { return encode(t, "png", quad) }, 1e-6},
		{"jpeg", "jpeg", func(t *testing.T) []byte { return encode(t, "jpeg", toRGBA(quad)) }, 0.1},
		{"gif", "gif", func(t *testing.T) []byte { return encode(t, "gif", quad) }, 1e-6},
		{"bmp", "bmp", func(t *testing.T) []byte { return encode(t, "bmp", toRGBA(quad)) }, 1e-6},
		{"tiff", "tiff", func(t *testing.T) []byte { return encode(t, "tiff", toRGBA(quad)) }, 1e-6},
		{"lossy webp", "webp", readFixture("quad-lossy.webp"), 0.03},
		{"cmyk jpeg", "jpeg", readFixture("quad-cmyk.jpg"), 0.1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := decodeBytes(t, tc.data(t), "quad."+tc.format, rgb16, Options{Invert: Keep})
			if res.Format != tc.format {
				t.Errorf("Format = %q, want %q", res.Format, tc.format)
			}
			checkQuadrants(t, rgb16, res.Input, 16, tc.tol)
			for i, v := range res.Input {
				if v < rgb16.Lo || v > rgb16.Hi {
					t.Fatalf("Input[%d] = %v outside [%v, %v]", i, v, rgb16.Lo, rgb16.Hi)
				}
			}
		})
	}
}

func readFixture(name string) func(t *testing.T) []byte {
	return func(t *testing.T) []byte {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
}

func TestWebPWithAlpha(t *testing.T) {
	// The 8×6 fixtures have opaque red, green and blue quadrants and a
	// white bottom-right quadrant with alpha 128.
	target := Target{C: 3, H: 6, W: 8, Lo: -1, Hi: 1, Background: -1}
	half := modelValue(target, 128.0/255)
	for _, tc := range []struct {
		file string
		tol  float64
	}{
		{"quad-lossless.webp", 1e-4},
		{"quad-lossy-alpha.webp", 0.05},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res := decodeBytes(t, readFixture(tc.file)(t), tc.file, target, Options{Invert: Keep})
			for _, p := range []struct {
				x, y    int
				r, g, b float64
			}{
				{0, 0, 1, -1, -1},
				{7, 0, -1, 1, -1},
				{0, 5, -1, -1, 1},
				{7, 5, half, half, half},
			} {
				for c, want := range []float64{p.r, p.g, p.b} {
					if got := at(target, res.Input, c, p.x, p.y); !near(got, want, tc.tol) {
						t.Errorf("channel %d at (%d, %d) = %v, want %v ± %v", c, p.x, p.y, got, want, tc.tol)
					}
				}
			}
			if !containsStep(res.Steps, "transparent areas composited over black") {
				t.Errorf("Steps %q do not mention compositing", res.Steps)
			}
		})
	}
}

func TestSixteenBitPrecision(t *testing.T) {
	levels := []uint16{0, 1000, 1001, 0x8000, 0xfffe, 0xffff}
	grey := image.NewGray16(image.Rect(0, 0, len(levels), 1))
	colour := image.NewNRGBA64(image.Rect(0, 0, len(levels), 1))
	for x, v := range levels {
		grey.SetGray16(x, 0, color.Gray16{Y: v})
		colour.SetNRGBA64(x, 0, color.NRGBA64{R: v, G: 0xffff - v, B: v / 2, A: 0xffff})
	}
	greyTarget := Target{C: 1, H: 1, W: len(levels), Lo: -1, Hi: 1, Background: -1}
	rgbTarget := Target{C: 3, H: 1, W: len(levels), Lo: -1, Hi: 1, Background: -1}

	for _, tc := range []struct {
		name   string
		format string
		img    image.Image
		target Target
	}{
		{"png Gray16", "png", grey, greyTarget},
		{"tiff Gray16", "tiff", grey, greyTarget},
		{"png NRGBA64", "png", colour, rgbTarget},
		{"tiff NRGBA64", "tiff", colour, rgbTarget},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := decodeBytes(t, encode(t, tc.format, tc.img), "deep."+tc.format, tc.target, Options{Invert: Keep})
			for x := range levels {
				for c := range tc.target.C {
					r, g, b, _ := tc.img.At(x, 0).RGBA()
					v := []uint32{r, g, b}[c]
					want := modelValue(tc.target, float64(v)/0xffff)
					if got := at(tc.target, res.Input, c, x, 0); !near(got, want, 1e-6) {
						t.Errorf("channel %d at x=%d = %v, want %v", c, x, got, want)
					}
				}
			}
			// Levels 1000 and 1001 are the same 8-bit value, so they differ
			// only when 16 bits are kept.
			if at(tc.target, res.Input, 0, 1, 0) == at(tc.target, res.Input, 0, 2, 0) {
				t.Error("16-bit levels 1000 and 1001 became equal")
			}
		})
	}
}

func TestPalettedWithTransparency(t *testing.T) {
	palette := color.Palette{color.NRGBA{0, 0, 0, 0}, color.NRGBA{255, 255, 255, 255}, color.NRGBA{255, 0, 0, 255}}
	m := image.NewPaletted(image.Rect(0, 0, 3, 1), palette)
	for x := range 3 {
		m.SetColorIndex(x, 0, uint8(x))
	}
	target := Target{C: 1, H: 1, W: 3, Lo: 0, Hi: 1, Background: 0}
	want := []float64{0, 1, lumaR}

	for _, format := range []string{"png", "gif"} {
		t.Run(format, func(t *testing.T) {
			res := decodeBytes(t, encode(t, format, m), "pal."+format, target, Options{Invert: Keep})
			if _, ok := res.Original.(*image.Paletted); !ok {
				t.Errorf("Original is %T, want *image.Paletted", res.Original)
			}
			for x, w := range want {
				if got := res.Input[x]; !near(got, w, 1e-6) {
					t.Errorf("Input[%d] = %v, want %v", x, got, w)
				}
			}
		})
	}
}

func TestAlphaCompositing(t *testing.T) {
	// Pixels: white at alpha 0, 128 and 255, and black at alpha 128.
	m := image.NewNRGBA(image.Rect(0, 0, 4, 1))
	m.SetNRGBA(0, 0, color.NRGBA{255, 255, 255, 0})
	m.SetNRGBA(1, 0, color.NRGBA{255, 255, 255, 128})
	m.SetNRGBA(2, 0, color.NRGBA{255, 255, 255, 255})
	m.SetNRGBA(3, 0, color.NRGBA{0, 0, 0, 128})
	data := encode(t, "png", m)
	const a = 128.0 / 255

	for _, tc := range []struct {
		name       string
		lo, hi, bg float32
		step       string
	}{
		{"black background on [-1, 1]", -1, 1, -1, "over black"},
		{"black background on [0, 1]", 0, 1, 0, "over black"},
		{"white background", 0, 1, 1, "over white"},
		{"mid-grey background", -1, 1, 0, "over grey 0.50"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := Target{C: 1, H: 1, W: 4, Lo: tc.lo, Hi: tc.hi, Background: tc.bg}
			bg := float64(tc.bg-tc.lo) / float64(tc.hi-tc.lo)
			res := decodeBytes(t, data, "alpha.png", target, Options{Invert: Keep})

			want := []float64{bg, a + bg*(1-a), 1, bg * (1 - a)}
			for x, w := range want {
				if got := res.Input[x]; !near(got, modelValue(target, w), 1e-4) {
					t.Errorf("Input[%d] = %v, want %v", x, got, modelValue(target, w))
				}
			}
			if res.Input[0] != tc.bg {
				t.Errorf("fully transparent pixel = %v, want Background %v exactly", res.Input[0], tc.bg)
			}
			if !containsStep(res.Steps, tc.step) {
				t.Errorf("Steps %q do not contain %q", res.Steps, tc.step)
			}
		})
	}
}

func TestCMYKConversion(t *testing.T) {
	m := image.NewCMYK(image.Rect(0, 0, 4, 1))
	m.SetCMYK(0, 0, color.CMYK{C: 0, M: 255, Y: 255, K: 0}) // red
	m.SetCMYK(1, 0, color.CMYK{C: 255, M: 0, Y: 0, K: 0})   // cyan
	m.SetCMYK(2, 0, color.CMYK{C: 0, M: 0, Y: 0, K: 255})   // black
	m.SetCMYK(3, 0, color.CMYK{C: 0, M: 0, Y: 0, K: 0})     // white
	want := [][3]float64{{1, 0, 0}, {0, 1, 1}, {0, 0, 0}, {1, 1, 1}}

	t.Run("rgb", func(t *testing.T) {
		target := Target{C: 3, H: 1, W: 4, Lo: 0, Hi: 1}
		input := make([]float32, 12)
		steps, _ := convert(input, m, target, Options{Invert: Keep}.withDefaults(), nil)
		for x, w := range want {
			for c := range 3 {
				if got := at(target, input, c, x, 0); !near(got, w[c], 1e-6) {
					t.Errorf("channel %d at x=%d = %v, want %v", c, x, got, w[c])
				}
			}
		}
		if !strings.HasPrefix(steps[0], "CMYK 4×1 → RGB by R = (1−C)(1−K)") {
			t.Errorf("Steps[0] = %q, want the CMYK conversion", steps[0])
		}
	})

	t.Run("grey", func(t *testing.T) {
		target := Target{C: 1, H: 1, W: 4, Lo: 0, Hi: 1}
		input := make([]float32, 4)
		convert(input, m, target, Options{Invert: Keep}.withDefaults(), nil)
		for x, w := range want {
			grey := lumaR*w[0] + lumaG*w[1] + lumaB*w[2]
			if !near(input[x], grey, 1e-6) {
				t.Errorf("Input[%d] = %v, want %v", x, input[x], grey)
			}
		}
	})

	t.Run("fixture decodes as CMYK", func(t *testing.T) {
		res := decodeBytes(t, readFixture("quad-cmyk.jpg")(t), "quad-cmyk.jpg", rgb16, Options{Invert: Keep})
		if _, ok := res.Original.(*image.CMYK); !ok {
			t.Errorf("Original is %T, want *image.CMYK", res.Original)
		}
	})
}

func TestColourToGrey(t *testing.T) {
	target := Target{C: 1, H: 1, W: 1, Lo: 0, Hi: 1}
	for _, tc := range []struct {
		name string
		c    color.RGBA
		want float64
		step string
	}{
		{"red", red, lumaR, "RGBA 1×1 → grey (ITU-R BT.601 luma)"},
		{"green", green, lumaG, "RGBA 1×1 → grey (ITU-R BT.601 luma)"},
		{"blue", blue, lumaB, "RGBA 1×1 → grey (ITU-R BT.601 luma)"},
		{"white", white, 1, "RGBA 1×1 → grey (ITU-R BT.601 luma)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := image.NewRGBA(image.Rect(0, 0, 1, 1))
			m.SetRGBA(0, 0, tc.c)
			input := make([]float32, 1)
			steps, _ := convert(input, m, target, Options{Invert: Keep}.withDefaults(), nil)
			if !near(input[0], tc.want, 1e-6) {
				t.Errorf("grey = %v, want %v", input[0], tc.want)
			}
			if steps[0] != tc.step {
				t.Errorf("Steps[0] = %q, want %q", steps[0], tc.step)
			}
		})
	}
}

func TestGreyToRGB(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 3, 1))
	for x, v := range []uint8{0, 100, 255} {
		m.SetGray(x, 0, color.Gray{Y: v})
	}
	target := Target{C: 3, H: 1, W: 3, Lo: 0, Hi: 1}
	res := decodeBytes(t, encode(t, "png", m), "grey.png", target, Options{Invert: Keep})
	for x, v := range []uint8{0, 100, 255} {
		for c := range 3 {
			if got := at(target, res.Input, c, x, 0); !near(got, float64(v)/255, 1e-6) {
				t.Errorf("channel %d at x=%d = %v, want %v", c, x, got, float64(v)/255)
			}
		}
	}
	if res.Steps[0] != "Gray 3×1 → RGB (grey copied to R, G and B)" {
		t.Errorf("Steps[0] = %q", res.Steps[0])
	}
}

// digit returns a 28×28 image of a vertical bar (a "1") in ink on paper.
func digit(ink, paper color.Color) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, 28, 28))
	for y := range 28 {
		for x := range 28 {
			c := paper
			if x >= 12 && x < 16 && y >= 4 && y < 24 {
				c = ink
			}
			m.Set(x, y, c)
		}
	}
	return m
}

func TestPolarity(t *testing.T) {
	transparent := color.NRGBA{}
	for _, tc := range []struct {
		name       string
		img        image.Image
		polarity   Polarity
		background float32 // of the target, on [0, 1]
		wantInk    float64 // value of the bar's centre
		wantPaper  float64 // value of the corner
		step       string  // substring of a step; empty when no polarity step is expected
		suggestion string  // substring of the suggestion; empty when none is expected
	}{
		{"auto white paper", digit(black, white), Auto, 0, 1, 0,
			"inverted: border is bright (1.00) but the data's background is dark", ""},
		{"auto black paper", digit(white, black), Auto, 0, 1, 0,
			"not inverted: border is dark (0.00) like the data's background", ""},
		{"keep white paper", digit(black, white), Keep, 0, 0, 1,
			"", "border is bright (1.00) but the data's background is dark; try Invert"},
		{"invert black paper", digit(white, black), Invert, 0, 0, 1,
			"inverted as requested", "border is dark (0.00) like the data's background; try Keep"},
		{"invert white paper", digit(black, white), Invert, 0, 1, 0,
			"inverted as requested", ""},
		{"auto transparent canvas, black ink", digit(black, transparent), Auto, 0, 1, 0,
			"inverted: border is transparent and the drawn pixels are dark (0.00)", ""},
		{"auto transparent canvas, white ink", digit(white, transparent), Auto, 0, 1, 0,
			"not inverted: border is transparent and the drawn pixels are bright (1.00)", ""},
		{"auto black paper, white data background", digit(white, black), Auto, 1, 0, 1,
			"inverted: border is dark (0.00) but the data's background is bright", ""},
		{"auto grey paper", digit(black, color.Gray{Y: 140}), Auto, 0, 1, 1 - 140.0/255,
			"inverted: border is bright (0.55) but the data's background is dark", ""},
		{"keep grey paper, no suggestion", digit(black, color.Gray{Y: 140}), Keep, 0, 0, 140.0 / 255,
			"", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := Target{C: 1, H: 28, W: 28, Lo: 0, Hi: 1, Background: tc.background}
			res := decodeBytes(t, encode(t, "png", tc.img), "digit.png", target, Options{Invert: tc.polarity})

			if got := at(target, res.Input, 0, 13, 14); !near(got, tc.wantInk, 1e-6) {
				t.Errorf("ink = %v, want %v", got, tc.wantInk)
			}
			if got := at(target, res.Input, 0, 0, 0); !near(got, tc.wantPaper, 1e-6) {
				t.Errorf("paper = %v, want %v", got, tc.wantPaper)
			}
			hasStep := false
			for _, s := range res.Steps {
				if strings.Contains(s, "inverted") {
					hasStep = true
				}
			}
			if tc.step == "" && hasStep {
				t.Errorf("unexpected polarity step in %q", res.Steps)
			}
			if tc.step != "" && !containsStep(res.Steps, tc.step) {
				t.Errorf("Steps %q do not contain %q", res.Steps, tc.step)
			}
			if tc.suggestion == "" && res.Suggestion != "" {
				t.Errorf("unexpected Suggestion %q", res.Suggestion)
			}
			if !strings.Contains(res.Suggestion, tc.suggestion) {
				t.Errorf("Suggestion = %q, want it to contain %q", res.Suggestion, tc.suggestion)
			}
		})
	}
}

func TestFullyTransparentImage(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	res := decodeBytes(t, encode(t, "png", m), "blank.png", mnist, Options{})
	for i, v := range res.Input {
		if v != mnist.Background {
			t.Fatalf("Input[%d] = %v, want Background %v", i, v, mnist.Background)
		}
	}
	if !strings.Contains(res.Suggestion, "fully transparent") {
		t.Errorf("Suggestion = %q, want a note on transparency", res.Suggestion)
	}
}

// uniform returns a w×h opaque image of colour c.
func uniform(w, h int, c color.Color) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, c)
		}
	}
	return m
}

func TestKeepAspectPadGeometry(t *testing.T) {
	target := Target{C: 1, H: 10, W: 10, Lo: -1, Hi: 1, Background: -1}
	for _, tc := range []struct {
		name    string
		w, h    int
		content image.Rectangle // where the image lands in the target
		step    string
	}{
		{"wide", 40, 20, image.Rect(0, 2, 10, 7), "resized 40×20 → 10×5 with Catmull-Rom, keeping the aspect ratio, padded to 10×10 with black"},
		{"tall", 20, 40, image.Rect(2, 0, 7, 10), "resized 20×40 → 5×10 with Catmull-Rom, keeping the aspect ratio, padded to 10×10 with black"},
		{"wide with rounding", 30, 10, image.Rect(0, 3, 10, 6), "resized 30×10 → 10×3 with Catmull-Rom, keeping the aspect ratio, padded to 10×10 with black"},
		{"square", 20, 20, image.Rect(0, 0, 10, 10), "resized 20×20 → 10×10 with Catmull-Rom, keeping the aspect ratio"},
		{"smaller, no scaling", 10, 4, image.Rect(0, 3, 10, 7), "padded to 10×10 with black"},
		{"very thin", 1000, 2, image.Rect(0, 4, 10, 5), "resized 1000×2 → 10×1 with Catmull-Rom, keeping the aspect ratio, padded to 10×10 with black"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := encode(t, "png", uniform(tc.w, tc.h, white))
			res := decodeBytes(t, data, "wide.png", target, Options{Resize: KeepAspectPad, Invert: Keep})
			for y := range 10 {
				for x := range 10 {
					want := float64(target.Background)
					if image.Pt(x, y).In(tc.content) {
						want = 1
					}
					if got := at(target, res.Input, 0, x, y); !near(got, want, 1e-4) {
						t.Errorf("(%d, %d) = %v, want %v", x, y, got, want)
					}
				}
			}
			if !containsStep(res.Steps, tc.step) {
				t.Errorf("Steps %q do not contain %q", res.Steps, tc.step)
			}
		})
	}
}

func TestCenterCropGeometry(t *testing.T) {
	target := Target{C: 1, H: 10, W: 10, Lo: 0, Hi: 1}
	// stripes returns a w×h image whose centre h×h square (or w×w for a
	// tall image) is white and whose sides are black.
	stripes := func(w, h int) *image.RGBA {
		m := uniform(w, h, black)
		side := min(w, h)
		x0, y0 := (w-side)/2, (h-side)/2
		for y := y0; y < y0+side; y++ {
			for x := x0; x < x0+side; x++ {
				m.Set(x, y, white)
			}
		}
		return m
	}
	for _, tc := range []struct {
		name string
		w, h int
		step string
	}{
		{"wide, no scaling", 30, 10, "cropped the centre 10×10 of 30×10"},
		{"wide, scaled", 60, 20, "cropped the centre 20×20 of 60×20, resized 20×20 → 10×10 with Catmull-Rom"},
		{"tall, scaled", 20, 50, "cropped the centre 20×20 of 20×50, resized 20×20 → 10×10 with Catmull-Rom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := encode(t, "png", stripes(tc.w, tc.h))
			res := decodeBytes(t, data, "wide.png", target, Options{Resize: CenterCrop, Invert: Keep})
			for i, v := range res.Input {
				if !near(v, 1, 1e-4) {
					t.Fatalf("Input[%d] = %v, want 1: the black sides were not cropped", i, v)
				}
			}
			if !containsStep(res.Steps, tc.step) {
				t.Errorf("Steps %q do not contain %q", res.Steps, tc.step)
			}
		})
	}
}

func TestFitStretch(t *testing.T) {
	// Left half black, right half white, 40×10, stretched to 10×10.
	m := uniform(40, 10, black)
	for y := range 10 {
		for x := 20; x < 40; x++ {
			m.Set(x, y, white)
		}
	}
	target := Target{C: 1, H: 10, W: 10, Lo: 0, Hi: 1}
	res := decodeBytes(t, encode(t, "png", m), "wide.png", target, Options{Resize: FitStretch, Invert: Keep})
	for y := range 10 {
		if got := at(target, res.Input, 0, 1, y); !near(got, 0, 1e-3) {
			t.Errorf("left at row %d = %v, want 0", y, got)
		}
		if got := at(target, res.Input, 0, 8, y); !near(got, 1, 1e-3) {
			t.Errorf("right at row %d = %v, want 1", y, got)
		}
	}
	want := "resized 40×10 → 10×10 with Catmull-Rom, stretched to the model's aspect ratio"
	if !containsStep(res.Steps, want) {
		t.Errorf("Steps %q do not contain %q", res.Steps, want)
	}
}

func TestResizeKeepsRange(t *testing.T) {
	// A black and white checkerboard makes Catmull-Rom overshoot, which
	// must be clamped to the model range.
	m := image.NewGray(image.Rect(0, 0, 57, 43))
	for y := range 43 {
		for x := range 57 {
			if (x/3+y/3)%2 == 0 {
				m.SetGray(x, y, color.Gray{Y: 255})
			}
		}
	}
	target := Target{C: 3, H: 20, W: 20, Lo: -1, Hi: 1, Background: -1}
	for _, mode := range []Resize{FitStretch, KeepAspectPad, CenterCrop} {
		t.Run(mode.String(), func(t *testing.T) {
			res := decodeBytes(t, encode(t, "png", m), "checker.png", target, Options{Resize: mode, Invert: Keep})
			for i, v := range res.Input {
				if !(v >= target.Lo && v <= target.Hi) {
					t.Fatalf("Input[%d] = %v outside [%v, %v]", i, v, target.Lo, target.Hi)
				}
			}
		})
	}
}

func TestFirstStepNamesSource(t *testing.T) {
	res := decodeBytes(t, encode(t, "jpeg", uniform(64, 48, white)), "photo.jpg", mnist, Options{})
	want := "YCbCr 4:2:0 64×48 → grey (ITU-R BT.601 luma)"
	if res.Steps[0] != want {
		t.Errorf("Steps[0] = %q, want %q", res.Steps[0], want)
	}
	if last := res.Steps[len(res.Steps)-1]; last != "values mapped from [0, 1] to [0, 1]" {
		t.Errorf("last step = %q", last)
	}
	if math.IsNaN(float64(res.Input[0])) {
		t.Error("Input contains NaN")
	}
}

func containsStep(steps []string, sub string) bool {
	for _, s := range steps {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
