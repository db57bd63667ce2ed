// Package ood measures how well a score separates in-distribution inputs
// from out-of-distribution (OOD) inputs.
//
// # Convention
//
// A higher score means "more likely out of distribution". With an
// energy-based model the energy E(x) is used directly as the score,
// because training lowers the energy of the data and raises it elsewhere.
//
// # AUROC
//
// AUROC is the area under the ROC curve. It equals the Mann–Whitney U
// statistic divided by the number of (in, out) pairs, which is the
// probability that a randomly drawn OOD score exceeds a randomly drawn
// in-distribution score, with ties counted as one half. 1 is perfect
// separation, 0.5 is chance and 0 is perfect separation with the sign
// reversed. AUROC and ROC sort copies of their inputs, so they take
// O(n log n) time and O(n) extra memory and never modify the caller's
// slices.
//
// # Invalid input
//
// AUROC and ROC return ErrEmpty when a set has no scores and ErrNaN when
// a score is NaN, wrapped in an error that names the set. Infinite scores
// are valid and compare as usual.
package ood
