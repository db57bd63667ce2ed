// Package export writes EBM Lab tensors as NumPy .npy files, so that
// samples, replay buffers and data sets can be analysed in Python with
// numpy.load.
//
// # Layout
//
// WriteNPY and SaveNPY take a flat []float32 and its shape in row-major
// (C) order, where the last index varies fastest. EBM Lab stores tensors
// in that order: N×C×H×W for a batch of images and N×2 for 2-D points.
// The file contains little-endian IEEE 754 float32 values, dtype
// '<f4', with fortran_order False. NaN and infinite values are written as
// they are.
//
// # Format
//
// The files follow version 1.0 of the NPY format, as the documentation of
// the numpy.lib.format module describes it. A file starts with the magic
// string "\x93NUMPY", the version bytes 1 and 0 and a little-endian uint16
// header length. The header is an ASCII Python dict literal with the keys
// 'descr', 'fortran_order' and 'shape'. Spaces and a final newline pad it
// so that the data starts at a multiple of 64 bytes. The output matches numpy.save of numpy
// 1.24 byte for byte. Version 1.0 limits the header to 65,535 bytes, far
// more than any shape needs.
//
// The header is written here rather than by codeberg.org/sbinet/npyio
// (v0.14.0) because that package takes the shape from the Go type: a flat
// slice becomes a 1-D array, and an N×C×H×W array would need nested
// slices that it walks element by element through reflection. ReadNPY uses
// npyio's reader, so the round-trip tests check the output against an
// independent reader.
//
// # Security
//
// ReadNPY allocates the number of values that the header's shape
// declares, up to 2^31, before it reads them. It is meant for files that
// this program wrote, not for untrusted input.
package export
