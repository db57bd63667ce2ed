// Package dataset loads the training data of EBM Lab: MNIST digits,
// Fashion-MNIST, IDX image files and seeded 2-D toy distributions.
//
// # Layout and ranges
//
// A Dataset stores Len() samples back to back in X, each of Dim() = C·H·W
// float32 values in NCHW order: sample i is X[i·Dim : (i+1)·Dim], and
// within a sample the value of channel c, row y and column x is at
// c·H·W + y·W + x. A 2-D point is a sample with C = 2 and H = W = 1, so
// point i is (X[2i], X[2i+1]).
//
// Every value lies in [Lo, Hi]. Image pixels are scaled from bytes by
// p/255·2 − 1 to [-1, 1], so MNIST digits are white (+1) on black (−1).
// Toy points lie in [-4, 4]².
//
// # Sources
//
// MNIST (Yann LeCun and Corinna Cortes) comes from the subset embedded in
// package assets: the first 10,000 training and the first 2,000 test
// images. Fashion-MNIST (Han Xiao, Kashif Rasul and Roland Vollgraf, 2017)
// is read from the IDX files that the Debian package dataset-fashion-mnist
// installs in /usr/share/datasets/fashion-mnist. Load keeps the same counts
// as for MNIST, so both sets cost the same to train on.
//
// The toy distributions follow the parametrisations of the 2-D data
// generator in FFJORD (Grathwohl et al., ICLR 2019, file lib/toy_data.py
// of github.com/rtqichen/ffjord), which in turn uses scikit-learn's
// make_moons, make_swiss_roll and make_circles. Toy draws each point's
// mixture component independently, so component counts are multinomial
// rather than exactly equal, and redraws the rare point that falls outside
// [-4, 4]².
//
// # IDX format
//
// ReadIDX reads the IDX format of the MNIST distribution: two zero bytes,
// a type code, the number of dimensions, one big-endian uint32 per
// dimension, then the values in row-major order. Only the unsigned byte
// type (0x08) is supported, with 3 dimensions (count, rows, columns) for
// images and 1 (count) for labels. A stream that starts with the gzip
// magic bytes 1f 8b is decompressed first, and byte offsets in errors
// count from the start of the decompressed stream.
//
// # Security
//
// ReadIDX allocates memory in proportion to the bytes that actually
// arrive, not to the counts that a header declares, and rejects headers
// that declare more than 2^30 pixels, so a short malicious file cannot
// make it allocate gigabytes.
package dataset
