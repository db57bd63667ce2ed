package dataset

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ebmlab/ebmlab/ui/imagein"
)

const (
	// imageExtensions lists the extensions that imagein.IsImagePath
	// accepts, for messages.
	imageExtensions = ".png, .jpg, .jpeg, .jpe, .gif, .bmp, .tif, .tiff and .webp"

	// maxListedErrors is the number of failed files that an
	// ImageFilesError lists.
	maxListedErrors = 10

	// maxDecoders bounds the images decoded at once. A decoded image may
	// take up to 320 MB (imagein's default pixel limit at 8 bytes per
	// pixel), so more decoders would only risk memory.
	maxDecoders = 4

	// greyTolerance is the largest difference, in 8-bit levels, between
	// the R, G and B values of a pixel that still counts as grey, so that
	// grey photos saved as colour JPEG files count as grey.
	greyTolerance = 8

	// chromaTolerance is the largest distance of a JPEG pixel's Cb and Cr
	// from 128 that counts as grey. It keeps R, G and B within 7 levels of
	// each other, since R − B = 1.402(Cr − 128) − 1.772(Cb − 128).
	chromaTolerance = 2
)

// Targets of folder images: grey images fit the 1×28×28 input of the
// mnist-cnn preset and colour images the 3×32×32 input of cifar-cnn.
var (
	greyTarget   = imagein.Target{C: 1, H: 28, W: 28, Lo: -1, Hi: 1, Background: -1}
	colourTarget = imagein.Target{C: 3, H: 32, W: 32, Lo: -1, Hi: 1, Background: -1}
	folderImages = imagein.Options{Resize: imagein.KeepAspectPad, Invert: imagein.Keep}
)

// ImageFilesError reports the image files of a folder that could not be
// decoded. Open then returns no data, so that a data set never lacks files
// without the user knowing.
type ImageFilesError struct {
	Dir    string  // the folder passed to Open
	Failed int     // number of image files that could not be decoded
	Total  int     // number of image files tried
	Errs   []error // the first failures in path order, at most 10, each an *imagein.FileError
}

func (e *ImageFilesError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dataset: %d of %d image files under %s could not be decoded: remove, replace or move them out of the folder", e.Failed, e.Total, e.Dir)
	for _, err := range e.Errs {
		b.WriteString("\n")
		b.WriteString(err.Error())
	}
	if more := e.Failed - len(e.Errs); more > 0 {
		fmt.Fprintf(&b, "\nand %d more", more)
	}
	return b.String()
}

// Unwrap returns the listed failures, so that errors.Is matches their
// kinds, such as imagein.ErrCorrupt.
func (e *ImageFilesError) Unwrap() []error { return e.Errs }

// openFolder reads the images under dir.
func openFolder(ctx context.Context, dir string, progress func(done, total int), limit int) (*Dataset, *LimitError, error) {
	// ListImages does not follow a symbolic link, not even at the root.
	root := dir
	if resolved, err := filepath.EvalSymlinks(dir); err == nil {
		root = resolved
	}
	paths, err := imagein.ListImages(ctx, root, func(found int) { progress(found, 0) })
	if err != nil {
		return nil, nil, cancelled(ctx, dir, fmt.Errorf("dataset: listing images under %s: %w", dir, err))
	}
	paths = slices.DeleteFunc(paths, func(path string) bool { return isHidden(root, path) })
	if len(paths) == 0 {
		return nil, nil, noImagesError(dir)
	}

	var limitErr *LimitError
	if len(paths) > limit {
		limitErr = &LimitError{Path: dir, Kind: "images", Kept: limit, Total: len(paths),
			Rule: fmt.Sprintf("%d evenly spaced in path order, so every sub-folder keeps its share", limit)}
		paths = evenlySpaced(paths, limit)
	}
	labels, classes := folderLabels(root, paths)

	d, err := decodeImages(ctx, dir, paths, progress)
	if err != nil {
		return nil, nil, err
	}
	d.Labels, d.Classes = labels, classes
	return d, limitErr, nil
}

// isHidden reports whether a file or folder on the path from dir to path
// has a name that starts with a dot, such as the ._NAME files that macOS
// adds to archives. Such files are skipped.
func isHidden(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return false
	}
	for part := range strings.SplitSeq(filepath.ToSlash(rel), "/") {
		if strings.HasPrefix(part, ".") && part != "." && part != ".." {
			return true
		}
	}
	return false
}

func noImagesError(dir string) error {
	// A folder of IDX, CIFAR-10 or CSV files is a common mistake: name
	// the first such file.
	hint := ""
	if entries, err := os.ReadDir(dir); err == nil {
		for _, entry := range entries {
			name := strings.ToLower(entry.Name())
			ext := filepath.Ext(name)
			if entry.Type().IsRegular() && (strings.Contains(name, "idx") || ext == ".bin" || ext == ".csv") {
				hint = fmt.Sprintf("; to load %s, open that file instead of the folder", entry.Name())
				break
			}
		}
	}
	return fmt.Errorf("dataset: %w under %s; supported extensions are %s%s", ErrNoImages, dir, imageExtensions, hint)
}

// evenlySpaced returns n of the paths, at indices ⌊k·len(paths)/n⌋.
func evenlySpaced(paths []string, n int) []string {
	kept := make([]string, n)
	for k := range kept {
		kept[k] = paths[k*len(paths)/n]
	}
	return kept
}

// folderLabels returns the class of each path, the name of its first-level
// sub-folder of dir, and the sorted class names, or nil and nil when an
// image sits directly in dir.
func folderLabels(dir string, paths []string) (labels []int, classes []string) {
	folders := make([]string, len(paths))
	for i, path := range paths {
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return nil, nil
		}
		first, _, nested := strings.Cut(filepath.ToSlash(rel), "/")
		if !nested {
			return nil, nil
		}
		folders[i] = first
	}

	classes = slices.Clone(folders)
	slices.Sort(classes)
	classes = slices.Compact(classes)
	labels = make([]int, len(paths))
	for i, folder := range folders {
		labels[i], _ = slices.BinarySearch(classes, folder)
	}
	return labels, classes
}

// imageBatch is the state of decoding the images of a folder with several
// goroutines. Each goroutine writes only the entries of the images it
// decodes.
type imageBatch struct {
	paths  []string
	grey   []float32 // len(paths)·28·28 values
	colour []float32 // len(paths)·3·32·32 values, allocated at the first colour image
	once   sync.Once
	isRGB  atomic.Bool // set at the first colour image
	inRGB  []bool      // whether image i was decoded into colour
	errs   []error     // decoding error of image i
}

// decodeImages decodes every path to a grey 28×28 image, and switches to
// 32×32 RGB at the first image that is not grey-ish, decoding again the
// grey images before it. Failures are collected into an
// *ImageFilesError.
func decodeImages(ctx context.Context, dir string, paths []string, progress func(done, total int)) (*Dataset, error) {
	n := len(paths)
	b := &imageBatch{
		paths: paths,
		grey:  make([]float32, n*greyTarget.C*greyTarget.H*greyTarget.W),
		inRGB: make([]bool, n),
		errs:  make([]error, n),
	}

	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	runDecoders(ctx, all, b.decodeFirst, func(done int) { progress(done, n) })
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dataset: loading %s: %w", dir, err)
	}
	if err := b.failures(dir); err != nil {
		return nil, err
	}
	if !b.isRGB.Load() {
		return &Dataset{C: greyTarget.C, H: greyTarget.H, W: greyTarget.W, X: b.grey, Lo: -1, Hi: 1}, nil
	}

	b.grey = nil
	var redo []int
	for i, rgb := range b.inRGB {
		if !rgb {
			redo = append(redo, i)
		}
	}
	runDecoders(ctx, redo, b.decodeColour, func(done int) { progress(n+done, n+len(redo)) })
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dataset: loading %s: %w", dir, err)
	}
	// A file can change between the two decodes.
	if err := b.failures(dir); err != nil {
		return nil, err
	}
	return &Dataset{C: colourTarget.C, H: colourTarget.H, W: colourTarget.W, X: b.colour, Lo: -1, Hi: 1}, nil
}

// runDecoders calls decode for each index on up to maxDecoders goroutines
// until ctx is done, and calls progress on the calling goroutine with the
// number of indices done.
func runDecoders(ctx context.Context, indices []int, decode func(i int), progress func(done int)) {
	// The channel is unbuffered, so a decoder waits for progress before
	// it takes the next image, and each decoder finishes at most one image
	// after ctx is cancelled from within progress.
	var next atomic.Int64
	finished := make(chan struct{})
	var wg sync.WaitGroup
	for range min(len(indices), maxDecoders, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				k := int(next.Add(1) - 1)
				if k >= len(indices) {
					return
				}
				decode(indices[k])
				finished <- struct{}{}
			}
		})
	}
	go func() {
		wg.Wait()
		close(finished)
	}()

	done := 0
	for range finished {
		done++
		progress(done)
	}
}

// decodeFirst decodes image i as grey, or as colour once a colour image
// has been seen.
func (b *imageBatch) decodeFirst(i int) {
	if !b.isRGB.Load() {
		res, err := imagein.DecodeFile(b.paths[i], greyTarget, folderImages)
		if err != nil {
			b.errs[i] = err
			return
		}
		if isGreyish(res.Original) {
			size := len(res.Input)
			copy(b.grey[i*size:(i+1)*size], res.Input)
			return
		}
		b.isRGB.Store(true)
	}
	b.decodeColour(i)
}

// decodeColour decodes image i as RGB.
func (b *imageBatch) decodeColour(i int) {
	b.once.Do(func() {
		b.colour = make([]float32, len(b.paths)*colourTarget.C*colourTarget.H*colourTarget.W)
	})
	res, err := imagein.DecodeFile(b.paths[i], colourTarget, folderImages)
	if err != nil {
		b.errs[i] = err
		return
	}
	size := len(res.Input)
	copy(b.colour[i*size:(i+1)*size], res.Input)
	b.inRGB[i] = true
}

// failures returns an *ImageFilesError for the images that failed, or nil.
func (b *imageBatch) failures(dir string) error {
	e := &ImageFilesError{Dir: dir, Total: len(b.paths)}
	for _, err := range b.errs {
		if err == nil {
			continue
		}
		e.Failed++
		if len(e.Errs) < maxListedErrors {
			e.Errs = append(e.Errs, err)
		}
	}
	if e.Failed == 0 {
		return nil
	}
	return e
}

// isGreyish reports whether every pixel of img has R, G and B values
// within greyTolerance of each other on the 8-bit scale, or for a YCbCr
// image, Cb and Cr within chromaTolerance of 128.
func isGreyish(img image.Image) bool {
	switch m := img.(type) {
	case *image.Gray, *image.Gray16, *image.Alpha, *image.Alpha16:
		return true
	case *image.YCbCr:
		return isNeutralChroma(m.Cb) && isNeutralChroma(m.Cr)
	case *image.NYCbCrA:
		return isNeutralChroma(m.Cb) && isNeutralChroma(m.Cr)
	case *image.Paletted:
		grey := make([]bool, len(m.Palette))
		for k, c := range m.Palette {
			grey[k] = isGreyColor(c)
		}
		for _, k := range m.Pix {
			if int(k) < len(grey) && !grey[k] {
				return false
			}
		}
		return true
	case *image.RGBA:
		return isGreyPix(m.Pix, 4, 1)
	case *image.NRGBA:
		return isGreyPix(m.Pix, 4, 1)
	case *image.RGBA64:
		return isGreyPix(m.Pix, 8, 2)
	case *image.NRGBA64:
		return isGreyPix(m.Pix, 8, 2)
	}

	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			if !isGreyColor(img.At(x, y)) {
				return false
			}
		}
	}
	return true
}

// isNeutralChroma reports whether every Cb or Cr sample lies within
// chromaTolerance of 128.
func isNeutralChroma(samples []uint8) bool {
	for _, s := range samples {
		if s < 128-chromaTolerance || s > 128+chromaTolerance {
			return false
		}
	}
	return true
}

// isGreyPix checks R, G and B of pixels stored as stride bytes each, with
// channel values of step bytes whose first byte is the most significant.
func isGreyPix(pix []uint8, stride, step int) bool {
	for k := 0; k+stride <= len(pix); k += stride {
		r, g, bl := int(pix[k]), int(pix[k+step]), int(pix[k+2*step])
		if max(r, g, bl)-min(r, g, bl) > greyTolerance {
			return false
		}
	}
	return true
}

func isGreyColor(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return (max(r, g, b)-min(r, g, b))>>8 <= greyTolerance
}
