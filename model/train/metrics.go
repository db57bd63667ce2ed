package train

import (
	"encoding/csv"
	"io"
	"strconv"
)

// Metrics describes one accepted training iteration.
type Metrics struct {
	Iteration     int     // 1-based count of accepted iterations
	Loss          float64 // contrastive loss including the α term
	EData         float64 // mean energy of the data batch
	ESample       float64 // mean energy of the Langevin samples
	Gap           float64 // EData − ESample; negative while the model separates them
	ParamGradNorm float64 // global L2 norm of the loss gradient, before clipping
	InputGradNorm float64 // mean L2 norm of ∂E/∂x over chains and Langevin steps
	Diversity     float64 // mean pairwise Euclidean distance between samples of the batch
	Reinit        int     // chains restarted from noise in this batch
	Steps         int     // Langevin steps taken
	Seconds       float64 // wall time of the iteration
}

// metricsHeader names the CSV columns written by WriteCSVHeader and
// WriteCSVRow. Only the last column depends on the machine.
var metricsHeader = []string{
	"iteration", "loss", "e_data", "e_sample", "gap", "param_grad_norm",
	"input_grad_norm", "diversity", "reinit", "steps", "seconds",
}

// WriteCSVHeader writes the metrics column names.
func WriteCSVHeader(w *csv.Writer) error {
	return w.Write(metricsHeader)
}

// WriteCSVRow writes m as one CSV row. Floats use the shortest
// representation that reads back to the same float64, so two runs with
// identical values write identical text.
func WriteCSVRow(w *csv.Writer, m Metrics) error {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return w.Write([]string{
		strconv.Itoa(m.Iteration), f(m.Loss), f(m.EData), f(m.ESample), f(m.Gap),
		f(m.ParamGradNorm), f(m.InputGradNorm), f(m.Diversity),
		strconv.Itoa(m.Reinit), strconv.Itoa(m.Steps), f(m.Seconds),
	})
}

// WriteCSV writes a header and one row per entry of history.
func WriteCSV(out io.Writer, history []Metrics) error {
	w := csv.NewWriter(out)
	if err := WriteCSVHeader(w); err != nil {
		return err
	}
	for _, m := range history {
		if err := WriteCSVRow(w, m); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
