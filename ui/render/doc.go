// Package render draws the pictures of the EBM Lab explorer window: sample
// grids, Langevin filmstrips, energy histograms, training curves and the
// energy landscape of a two-dimensional model.
//
// # Contract
//
// Every function takes plain data, returns a new *image.RGBA and keeps no
// state between calls, so it may run on any goroutine, including several at
// once. A test renders every picture concurrently under the race detector.
// The only shared values are read-only: the colour tables and gonum/plot's
// font cache, which has its own lock. Nothing here imports Fyne or the model
// packages, which lets a worker goroutine render off the UI thread and hand
// the finished image to a widget.
//
// # Layouts and units
//
// Samples are float32 in NCHW order: sample s, channel k, row y and column x
// is x[((s*c+k)*h+y)*w+x], with c = 1 (grey) or c = 3 (RGB). The caller gives
// the value range [lo, hi] of the data: lo maps to black, hi to white, values
// outside the range are clamped and NaN is painted pure red so that a
// diverged sampler is visible at a glance.
//
// Two-dimensional points are interleaved pairs: point i is (p[2i], p[2i+1]).
// An energy grid stores E[j*NX+i] at the centre of cell (i, j), with rows
// running from YMin upward. Grid.Point returns the coordinates to evaluate.
//
// Sizes are in pixels. Plots are laid out by gonum.org/v1/plot at 96 dots
// per inch, so a 10 pt label is about 13 px tall.
//
// # Errors
//
// Shape mismatches between arguments are programming errors and panic with a
// "render:" prefix. Out-of-range settings, such as a zero pixel size or a
// negative bin count, return an error that names the value and the accepted
// range. Data that is empty, or contains NaN or ±Inf, is not an error: the
// non-finite values are dropped and counted in the legend or title, and a
// plot with nothing to show draws its axes with the note "no data yet".
// Values beyond ±1e300 count as non-finite, because gonum/plot cannot place
// them on an axis without overflow.
//
// # Style
//
// Text is Liberation Sans, which gonum/plot embeds, so renders do not
// depend on the fonts installed. Series colours follow the ColorBrewer Dark2 qualitative
// scheme in the order the series are given, so a series keeps its colour
// while others appear and disappear. Legends sit outside the data area,
// except that a legend wider than 45% of the image width goes inside it at
// the top right.
package render
