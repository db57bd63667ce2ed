package dataset

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestToyMoments compares sample moments with their closed forms. Each
// draw has 20,000 points, so the standard error of the mean of x² + y² is
// below 0.03 for every set.
func TestToyMoments(t *testing.T) {
	tests := []struct {
		name         string
		meanX, meanY float64
		meanR2       float64 // E[x² + y²]
	}{
		// 8 + 2·(0.5/√2)²: radius 4/√2 plus noise in two axes.
		{"8gaussians", 0, 0, 8.25},
		// Upper moon 2(cos t, sin t) − (1, 0.2) and lower moon
		// 2(1 − cos t, 0.5 − sin t) − (1, 0.2) for t uniform in [0, π],
		// each with noise 0.2 per axis after scaling.
		{"2moons", 0, 0.3, 3.04 + (2.08-1.6/math.Pi+2.68-6.4/math.Pi)/2},
		// E[t cos t] = 2 and E[t sin t] = 2/(3π) for t uniform in
		// [1.5π, 4.5π], E[t²] = 9.75π², plus unit noise in two axes,
		// all divided by 5.
		{"swissroll", 0.4, 2 / (3 * math.Pi) / 5, (9.75*math.Pi*math.Pi + 2) / 25},
		// Radii 3 and 1.5 with noise 0.24 per axis.
		{"circles", 0, 0, (9+2.25)/2 + 2*0.24*0.24},
		// Radii 0.75, 1.5, 2.25 and 3 with noise 0.08 per axis.
		{"rings", 0, 0, (0.5625+2.25+5.0625+9)/4 + 2*0.08*0.08},
		// 4·E[(1 + 0.3ε₁)² + (0.1ε₂)²].
		{"pinwheel", 0, 0, 4 * (1 + 0.09 + 0.01)},
		// x and y are each uniform on [-4, 4].
		{"checkerboard", 0, 0, 2 * 16.0 / 3},
	}
	if len(tests) != len(ToyNames()) {
		t.Fatalf("table covers %d toy sets, want all %d", len(tests), len(ToyNames()))
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			const n = 20000
			d, err := Toy(test.name, n, rand.New(rand.NewPCG(11, 12)))
			if err != nil {
				t.Fatalf("Toy: %v", err)
			}

			var sumX, sumY, sumR2 float64
			for i := 0; i < n; i++ {
				x, y := float64(d.X[2*i]), float64(d.X[2*i+1])
				sumX += x
				sumY += y
				sumR2 += x*x + y*y
			}
			if got := sumX / n; math.Abs(got-test.meanX) > 0.05 {
				t.Errorf("mean x = %.4f, want %.4f ± 0.05", got, test.meanX)
			}
			if got := sumY / n; math.Abs(got-test.meanY) > 0.05 {
				t.Errorf("mean y = %.4f, want %.4f ± 0.05", got, test.meanY)
			}
			if got := sumR2 / n; math.Abs(got-test.meanR2) > 0.1 {
				t.Errorf("mean x²+y² = %.4f, want %.4f ± 0.1", got, test.meanR2)
			}
		})
	}
}

// TestToySupport checks that points lie where each distribution puts its
// mass: near one of the eight centres, near one of the four rings, and in
// the filled squares of the checkerboard.
func TestToySupport(t *testing.T) {
	tests := []struct {
		name    string
		near    func(x, y float64) bool
		minFrac float64
	}{
		{"8gaussians", func(x, y float64) bool {
			// Within 3σ of a centre: P(χ²₂ ≤ 9) ≈ 0.989.
			angle := math.Round(math.Atan2(y, x)/(math.Pi/4)) * math.Pi / 4
			r := 4 / math.Sqrt2
			return math.Hypot(x-r*math.Cos(angle), y-r*math.Sin(angle)) < 3*0.5/math.Sqrt2
		}, 0.98},
		{"rings", func(x, y float64) bool {
			r := math.Hypot(x, y)
			ring := math.Max(1, math.Min(4, math.Round(r/0.75))) * 0.75
			return math.Abs(r-ring) < 0.3
		}, 0.99},
		{"checkerboard", func(x, y float64) bool {
			column := int(math.Floor(x/2)) + 2
			row := int(math.Floor(y/2)) + 2
			return (column+row)%2 == 0
		}, 1},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			const n = 10000
			d, err := Toy(test.name, n, rand.New(rand.NewPCG(5, 6)))
			if err != nil {
				t.Fatalf("Toy: %v", err)
			}

			near := 0
			for i := 0; i < n; i++ {
				if test.near(float64(d.X[2*i]), float64(d.X[2*i+1])) {
					near++
				}
			}
			if frac := float64(near) / n; frac < test.minFrac {
				t.Errorf("fraction on the support = %.4f, want at least %.4f", frac, test.minFrac)
			}
		})
	}
}

func TestToyShapeAndRange(t *testing.T) {
	for _, name := range ToyNames() {
		t.Run(name, func(t *testing.T) {
			d, err := Toy(name, 5000, rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				t.Fatalf("Toy: %v", err)
			}

			if !d.IsPoints() || d.Len() != 5000 || d.Name != name {
				t.Errorf("Name, shape, Len = %q, %d×%d×%d, %d, want %q, 2×1×1, 5000", d.Name, d.C, d.H, d.W, d.Len(), name)
			}
			if d.Lo != -4 || d.Hi != 4 {
				t.Errorf("range = [%v, %v], want [-4, 4]", d.Lo, d.Hi)
			}
			for i, v := range d.X {
				if v < d.Lo || v > d.Hi || math.IsNaN(float64(v)) {
					t.Fatalf("X[%d] = %v, outside [-4, 4]", i, v)
				}
			}
			if d.Labels != nil {
				t.Errorf("Labels = %v, want nil", d.Labels[:3])
			}
		})
	}
}

func TestToySeeded(t *testing.T) {
	a, _ := Toy("pinwheel", 100, rand.New(rand.NewPCG(9, 9)))
	b, _ := Toy("pinwheel", 100, rand.New(rand.NewPCG(9, 9)))
	c, _ := Toy("pinwheel", 100, rand.New(rand.NewPCG(9, 10)))

	if !slices.Equal(a.X, b.X) {
		t.Error("two draws with the same seed differ")
	}
	if slices.Equal(a.X, c.X) {
		t.Error("draws with different seeds are equal")
	}
}

func TestToyErrors(t *testing.T) {
	tests := []struct {
		name string
		n    int
		want string
	}{
		{"moons", 10, `unknown toy distribution "moons": valid names are 8gaussians, 2moons`},
		{"mnist", 10, "unknown toy distribution"},
		{"rings", 0, "invalid toy sample count 0"},
		{"rings", -3, "invalid toy sample count -3"},
	}
	for _, test := range tests {
		_, err := Toy(test.name, test.n, rand.New(rand.NewPCG(1, 1)))
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("Toy(%q, %d) error = %v, want it to contain %q", test.name, test.n, err, test.want)
		}
	}
}

func BenchmarkToy10000(b *testing.B) {
	for _, name := range ToyNames() {
		b.Run(name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Toy(name, 10000, rng); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
