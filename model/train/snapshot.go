package train

import "time"

// Snapshot is an immutable view of an Engine for display. The engine
// never modifies a snapshot after publishing it; slices shared between
// snapshots (History, Quality) are append-only.
type Snapshot struct {
	Taken     time.Time
	Running   bool
	Iteration int           // accepted training iterations
	Elapsed   time.Duration // time spent training, pauses excluded

	ItersPerSec       float64 // recent training iterations per second
	StepsPerSec       float64 // recent Langevin steps per second (per chain)
	SampleStepsPerSec float64 // recent Langevin steps × chains per second
	Temperature       float64 // effective Langevin temperature σ²/(2λ)
	Backend           string  // BLAS implementation serving the network

	Preset   string
	DataName string
	C, H, W  int     // sample shape
	Lo, Hi   float32 // data value range
	Settings Settings

	// Samples holds NSamples samples of the last training batch (NCHW),
	// and Ages the age of their replay-buffer slot in sampling runs.
	Samples  []float32
	NSamples int
	Ages     []int

	// BufferAges holds the age of every replay-buffer entry.
	BufferAges []int

	// Chain is a filmstrip of visible chain 0, oldest frame first: the
	// first frame is its noise initialisation.
	Chain []ChainFrame

	// History holds the metrics of every accepted iteration.
	History []Metrics
	// Quality holds the sample-quality figures over time, by name (see
	// QualityNames).
	Quality map[string][]QualityPoint

	// Energies for the histogram, computed on the same network:
	// held-out data, the last samples and uniform noise over the range.
	DataEnergies, SampleEnergies, NoiseEnergies []float64

	// Landscape, DataPoints and SamplePoints are set for 2-D data only.
	Landscape    *Landscape
	DataPoints   []float32
	SamplePoints []float32

	// Events holds the most recent divergence-guard events, oldest first,
	// and EventCount the number of events since the model was built.
	Events     []GuardEvent
	EventCount int
	// Message is a one-line status from the last command, such as a
	// rejected setting.
	Message string
}

// ChainFrame is one recorded state of a visible chain.
type ChainFrame struct {
	Step   int // Langevin steps since the chain's noise initialisation
	State  []float32
	Energy float64
}

// QualityPoint is one evaluation of a sample-quality figure.
type QualityPoint struct {
	Iteration int
	Seconds   float64 // training time when it was measured
	Value     float64
}

// Landscape is the energy on a regular grid over [XMin, XMax]×[YMin, YMax]:
// E[j*NX+i] is the energy at the i-th x and j-th y, y increasing with j.
type Landscape struct {
	XMin, XMax, YMin, YMax float64
	NX, NY                 int
	E                      []float64
}

// frameOf copies the state of chain c of x into a ChainFrame.
func frameOf(step int, x []float32, c, dim int, energy float64) ChainFrame {
	return ChainFrame{Step: step, State: append([]float32(nil), x[c*dim:(c+1)*dim]...), Energy: energy}
}
