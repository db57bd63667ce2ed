// Package dataset loads the training data of EBM Lab: MNIST digits,
// Fashion-MNIST, seeded 2-D toy distributions, and users' own folders of
// images, IDX files, CIFAR-10 batches and CSV files of 2-D points.
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
// # User data
//
// Open reads a user's own data from a path and returns a training and a
// held-out test set. It chooses the reader by what the path is:
//
//   - A folder: every image file below it, found by extension (.png, .jpg,
//     .jpeg, .jpe, .gif, .bmp, .tif, .tiff, .webp) and decoded by content
//     with package ui/imagein, in sorted path order. Files and folders
//     whose names start with a dot are skipped, and other files are
//     ignored. When every image sits in a first-level sub-folder, the
//     sub-folder names, sorted, are the classes. The set is grey,
//     1×28×28, when every image is grey-ish, and RGB, 3×32×32, otherwise,
//     so that the mnist-cnn and cifar-cnn model presets fit. A pixel is
//     grey-ish when its R, G and B are within 8 of 255 levels of each
//     other, or for JPEG when Cb and Cr are within 2 of 128. Every image
//     is resized with imagein's KeepAspectPad: scaled to fit inside the
//     target, centred, and padded with black (−1). Transparent areas also
//     become black, and colours are never inverted. If any image file
//     cannot be decoded, Open returns no data and an *ImageFilesError
//     that lists the first 10. A symbolic link passed as the folder is
//     followed, but links inside it are not.
//   - A file whose name contains "idx", or whose content starts, raw or
//     gzipped, with an IDX magic number of unsigned bytes: an IDX image
//     file read by ReadIDX. Its labels come from the file of the same
//     name with "images" replaced by "labels" and "idx3" by "idx1", raw
//     or gzipped, when that file exists.
//   - A .bin file: a CIFAR-10 binary batch read by ReadCIFAR10. Its size
//     must be a multiple of the 3073-byte record. The extension decides
//     before the content, because a CIFAR-10 record can start with the
//     bytes of an IDX magic number.
//   - A .csv or .txt file: 2-D points read by ReadPointsCSV. Lo and Hi
//     span the points' coordinates plus a margin of 10% of their span on
//     each side, so that noise initialisation and the energy landscape
//     cover the data.
//
// An IDX file whose name contains "train" takes the file with "t10k" or
// "test" in its place as the held-out set, and data_batch_N.bin takes
// test_batch.bin from the same folder. Otherwise Open holds out 10% of
// the samples, rounded down but at least one, chosen by a PCG generator
// seeded with the seed. The training set keeps the rest in order.
//
// Open keeps at most MaxImages (60,000) images and MaxPoints (1,000,000)
// points from one file or folder, so that memory stays bounded: 60,000
// RGB images take 737 MB as float32, a held-out file can add as much
// again, and decoding a colour folder briefly adds a 188 MB grey buffer.
// From a larger folder Open keeps evenly spaced images in path order, so
// that every class keeps its share, and from a larger file the first
// ones. It then returns the sets together with a *LimitError.
//
// # Security
//
// ReadIDX allocates memory in proportion to the bytes that actually
// arrive, not to the counts that a header declares, and rejects headers
// that declare more than 2^30 pixels, so a short malicious file cannot
// make it allocate gigabytes.
package dataset
