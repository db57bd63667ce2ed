package ood

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

var (
	// ErrEmpty is returned when a set of scores is empty.
	ErrEmpty = errors.New("no scores")
	// ErrNaN is returned when a set contains a NaN score.
	ErrNaN = errors.New("score is NaN")
)

// AUROC returns the probability that a score from out exceeds a score from
// in, counting ties as 1/2. With energy as the score, a high value means
// out of distribution, so a good detector has an AUROC near 1.
//
// AUROC computes the Mann–Whitney U statistic from the ranks of the out
// scores among the in scores, in O(n log n) time.
func AUROC(in, out []float64) (float64, error) {
	if err := check(in, out); err != nil {
		return 0, err
	}

	sortedIn := slices.Clone(in)
	slices.Sort(sortedIn)
	sortedOut := slices.Clone(out)
	slices.Sort(sortedOut)

	// Walk both sorted sets once. For each out score o, below counts the
	// in scores < o and ties the in scores == o, so o contributes
	// below + ties/2 pairs to U. Integer counts keep U exact up to 2^53.
	var u2 int64 // 2·U, so that half-counted ties stay integers
	below, i := 0, 0
	for _, o := range sortedOut {
		for below < len(sortedIn) && sortedIn[below] < o {
			below++
		}
		if i < below {
			i = below
		}
		for i < len(sortedIn) && sortedIn[i] == o {
			i++
		}
		u2 += 2*int64(below) + int64(i-below)
	}

	pairs := float64(len(in)) * float64(len(out))
	return float64(u2) / (2 * pairs), nil
}

// ROC returns the points of the ROC curve for the detector "OOD when the
// score ≥ threshold", one point per distinct score from the highest to the
// lowest threshold. fpr is the fraction of in scores at or above the
// threshold and tpr the fraction of out scores at or above it. The curve
// starts at (0, 0) and ends at (1, 1), and the trapezoid area under it
// equals AUROC, because tied scores give one diagonal step.
func ROC(in, out []float64) (fpr, tpr []float64, err error) {
	if err := check(in, out); err != nil {
		return nil, nil, err
	}

	sortedIn := slices.Clone(in)
	slices.Sort(sortedIn)
	sortedOut := slices.Clone(out)
	slices.Sort(sortedOut)

	nIn, nOut := float64(len(in)), float64(len(out))
	fpr = []float64{0}
	tpr = []float64{0}

	// i and j index one past the highest in and out scores not yet below
	// the threshold. Each iteration lowers the threshold to the next
	// distinct score and moves both indices past every score equal to it.
	i, j := len(sortedIn), len(sortedOut)
	for i > 0 || j > 0 {
		var threshold float64
		switch {
		case i == 0:
			threshold = sortedOut[j-1]
		case j == 0:
			threshold = sortedIn[i-1]
		default:
			threshold = max(sortedIn[i-1], sortedOut[j-1])
		}
		for i > 0 && sortedIn[i-1] == threshold {
			i--
		}
		for j > 0 && sortedOut[j-1] == threshold {
			j--
		}
		fpr = append(fpr, float64(len(sortedIn)-i)/nIn)
		tpr = append(tpr, float64(len(sortedOut)-j)/nOut)
	}
	return fpr, tpr, nil
}

// Percentile returns the percentage (0–100) of ref values strictly below v
// plus half of the ref values equal to v. ref need not be sorted. NaN
// values in ref are skipped. Percentile returns NaN when v is NaN or when
// ref has no values other than NaN.
func Percentile(ref []float64, v float64) float64 {
	if math.IsNaN(v) {
		return math.NaN()
	}

	var below, equal, n int
	for _, r := range ref {
		switch {
		case math.IsNaN(r):
			continue
		case r < v:
			below++
		case r == v:
			equal++
		}
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return 100 * (float64(below) + float64(equal)/2) / float64(n)
}

// check returns an error naming the first set that is empty or contains a
// NaN score.
func check(in, out []float64) error {
	for _, set := range []struct {
		name   string
		scores []float64
	}{
		{"in-distribution", in},
		{"out-of-distribution", out},
	} {
		if len(set.scores) == 0 {
			return fmt.Errorf("ood: %s set: %w; pass at least one score", set.name, ErrEmpty)
		}
		for i, s := range set.scores {
			if math.IsNaN(s) {
				return fmt.Errorf("ood: %s set: %w at index %d; drop or recompute that score", set.name, ErrNaN, i)
			}
		}
	}
	return nil
}
