package dataset

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ebmlab/ebmlab/ui/imagein"
)

const (
	// MaxImages is the largest number of images that Open keeps from one
	// source: 60,000, the size of the MNIST training set. At 3×32×32
	// float32 values per image that is 737 MB, and at 1×28×28 188 MB.
	MaxImages = 60_000

	// MaxPoints is the largest number of 2-D points that Open keeps from
	// one CSV file, 8 MB of float32 values.
	MaxPoints = 1_000_000

	// Stream number of the PCG generator that chooses held-out samples,
	// distinct from the toy streams.
	splitStream = 3

	// heldOutPercent is the share of a source that Open holds out when the
	// format has no test set of its own.
	heldOutPercent = 10
)

// Errors that Open wraps, for use with errors.Is.
var (
	ErrNoImages        = errors.New("no images found")
	ErrTooFew          = errors.New("too few samples")
	ErrUnsupportedFile = errors.New("unsupported file")
)

// LimitError reports that a source contains more samples than Open keeps.
// Open returns it together with usable training and test sets built from
// the kept samples, so a caller can show it as a warning and go on.
type LimitError struct {
	Path  string // the source
	Kind  string // "images" or "points"
	Kept  int    // samples kept, MaxImages or MaxPoints
	Total int    // samples in the source; 0 when reading stopped at the limit, so the total is unknown
	Rule  string // which samples were kept, such as "the first 60000"
}

func (e *LimitError) Error() string {
	contents := fmt.Sprintf("more than %d %s", e.Kept, e.Kind)
	if e.Total > 0 {
		contents = fmt.Sprintf("%d %s, more than the limit of %d", e.Total, e.Kind, e.Kept)
	}
	return fmt.Sprintf("dataset: %s contains %s: kept %s; split the source to use the rest", e.Path, contents, e.Rule)
}

// limits are the sample limits of Open, smaller in tests.
type limits struct {
	images, points int
}

// Open loads a user's own data set from path and returns a training set
// and a held-out test set. path may be a folder of images, an IDX image
// file (raw or gzipped), a CIFAR-10 binary batch (.bin) or a CSV file of
// 2-D points (.csv or .txt). The package documentation states how Open
// distinguishes them, how it converts each one and how it labels images.
//
// The test set comes from the format when it has one: an IDX file whose
// name contains "train" pairs with the file that has "t10k" or "test" in
// its place, and data_batch_N.bin pairs with test_batch.bin in the same
// folder. Otherwise Open holds out a seeded 10% of the samples, at least
// one. Both sets are named after the cleaned path.
//
// progress, which may be nil, is called on the calling goroutine with the
// work done so far. For a folder it counts images: found while listing,
// with total 0 because the total is not known yet, then decoded. For a
// file it counts the bytes read of all the files that Open reads. Open
// stops when ctx is done and returns an error that wraps ctx.Err().
//
// A source with more than MaxImages images or MaxPoints points gives sets
// of the kept samples together with a *LimitError.
func Open(ctx context.Context, path string, seed uint64, progress func(done, total int)) (train, test *Dataset, err error) {
	return open(ctx, path, seed, progress, limits{images: MaxImages, points: MaxPoints})
}

func open(ctx context.Context, path string, seed uint64, progress func(done, total int), lim limits) (train, test *Dataset, err error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	path = filepath.Clean(path)
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("dataset: %s not found: check the path: %w", path, err)
		}
		return nil, nil, fmt.Errorf("dataset: cannot open %s: %w", path, err)
	}

	// Each reader returns a nil test set when the format brings none.
	var limitErr *LimitError
	switch format := detectFormat(path, info); format {
	case formatFolder:
		train, limitErr, err = openFolder(ctx, path, progress, lim.images)
	case formatIDX:
		train, test, limitErr, err = openIDXFile(ctx, path, progress, lim.images)
	case formatCIFAR:
		train, test, limitErr, err = openCIFAR10(ctx, path, info.Size(), progress, lim.images)
	case formatCSV:
		train, limitErr, err = openPointsCSV(ctx, path, info.Size(), progress, lim.points)
	default:
		return nil, nil, unsupportedError(path, info, format)
	}
	if err != nil {
		return nil, nil, err
	}

	train.Name = path
	if test == nil {
		train, test, err = splitHeldOut(train, seed)
		if err != nil {
			return nil, nil, err
		}
	}
	test.Name = path
	if limitErr != nil {
		return train, test, limitErr
	}
	return train, test, nil
}

// inputFormat is a format that Open can detect.
type inputFormat int

const (
	formatUnknown inputFormat = iota
	formatFolder
	formatIDX
	formatIDXLabels
	formatCIFAR
	formatCSV
	formatImage
	formatSpecial
)

// detectFormat chooses the reader for path: a folder, an IDX file by name,
// CIFAR-10 and CSV by extension, then an IDX file by content. The
// extension comes before the content because a CIFAR-10 record can start
// with the bytes of an IDX magic number.
func detectFormat(path string, info fs.FileInfo) inputFormat {
	if info.IsDir() {
		return formatFolder
	}
	if !info.Mode().IsRegular() {
		return formatSpecial
	}

	base := strings.ToLower(filepath.Base(path))
	if strings.Contains(base, "idx") {
		if idxDims(path) == 1 {
			return formatIDXLabels
		}
		return formatIDX
	}
	switch filepath.Ext(base) {
	case ".bin":
		return formatCIFAR
	case ".csv", ".txt":
		return formatCSV
	}
	switch idxDims(path) {
	case 0:
	case 1:
		return formatIDXLabels
	default:
		return formatIDX
	}
	if imagein.IsImagePath(path) {
		return formatImage
	}
	return formatUnknown
}

// idxDims returns the dimension count of a file that starts, raw or
// gzipped, with an IDX magic number of unsigned bytes (00 00 08 dims), or
// 0 for any other file.
func idxDims(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()

	var r io.Reader = bufio.NewReader(f)
	if magic, _ := r.(*bufio.Reader).Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return 0
		}
		r = zr
	}
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return 0
	}
	if magic[0] != 0 || magic[1] != 0 || magic[2] != idxUnsignedByte || magic[3] == 0 {
		return 0
	}
	return int(magic[3])
}

func unsupportedError(path string, info fs.FileInfo, format inputFormat) error {
	const choose = "choose a folder of images, an IDX image file, a CIFAR-10 .bin batch or a .csv file of 2-D points"
	switch format {
	case formatIDXLabels:
		return fmt.Errorf("dataset: %s is an IDX label file: %w: open the image file next to it, such as train-images-idx3-ubyte, and its labels are read too", path, ErrUnsupportedFile)
	case formatImage:
		return fmt.Errorf("dataset: %s is a single image: %w: open the folder that contains the images", path, ErrUnsupportedFile)
	case formatSpecial:
		return fmt.Errorf("dataset: %s is not a regular file (mode %v): %w: %s", path, info.Mode().Type(), ErrUnsupportedFile, choose)
	}
	return fmt.Errorf("dataset: %s: %w: %s", path, ErrUnsupportedFile, choose)
}

// splitHeldOut moves a seeded 10% of the samples of d, at least one, into
// a test set and keeps the rest, in their original order, as the training
// set. The training set reuses the memory of d.
func splitHeldOut(d *Dataset, seed uint64) (train, test *Dataset, err error) {
	n := d.Len()
	if n < 2 {
		return nil, nil, fmt.Errorf("dataset: %s has only %d sample: %w: need at least 2, one to train on and one to hold out", d.Name, n, ErrTooFew)
	}

	heldOut := make([]bool, n)
	nTest := max(1, n*heldOutPercent/100)
	rng := rand.New(rand.NewPCG(seed, splitStream))
	for _, i := range rng.Perm(n)[:nTest] {
		heldOut[i] = true
	}

	dim := d.Dim()
	test = &Dataset{Name: d.Name, C: d.C, H: d.H, W: d.W, Lo: d.Lo, Hi: d.Hi, Classes: slices.Clone(d.Classes)}
	test.X = make([]float32, 0, nTest*dim)
	if d.Labels != nil {
		test.Labels = make([]int, 0, nTest)
	}
	kept := 0
	for i := range n {
		sample := d.X[i*dim : (i+1)*dim]
		if heldOut[i] {
			test.X = append(test.X, sample...)
			if d.Labels != nil {
				test.Labels = append(test.Labels, d.Labels[i])
			}
			continue
		}
		// kept ≤ i, so the copy never overwrites a sample not yet visited.
		copy(d.X[kept*dim:], sample)
		if d.Labels != nil {
			d.Labels[kept] = d.Labels[i]
		}
		kept++
	}

	train = d
	train.X = d.X[: kept*dim : kept*dim]
	if d.Labels != nil {
		train.Labels = d.Labels[:kept:kept]
	}
	return train, test, nil
}

// progressReader reports the bytes read through it to progress, at most
// once per reportBytes, and stops with ctx.Err() once ctx is done.
type progressReader struct {
	ctx      context.Context
	r        io.Reader
	count    *byteCount
	progress func(done, total int)
}

// byteCount is the progress of a load that reads several files.
type byteCount struct {
	done, total, reported int64
}

// reportBytes is the least number of bytes read between two progress calls.
const reportBytes = 1 << 20

func (p *progressReader) Read(b []byte) (int, error) {
	if err := p.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := p.r.Read(b)
	c := p.count
	c.done += int64(n)
	if c.done-c.reported >= reportBytes {
		c.reported = c.done
		p.progress(int(c.done), int(c.total))
	}
	return n, err
}

// openTracked opens path for reading through a progressReader. The caller
// closes the returned file.
func openTracked(ctx context.Context, path string, count *byteCount, progress func(done, total int)) (*os.File, io.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("dataset: cannot open %s: %w", path, err)
	}
	return f, &progressReader{ctx: ctx, r: f, count: count, progress: progress}, nil
}

// cancelled wraps ctx.Err() with the path being loaded, or returns err
// unchanged when ctx is not done.
func cancelled(ctx context.Context, path string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("dataset: loading %s: %w", path, ctxErr)
	}
	return err
}

// fileExists reports whether path is a regular file.
func fileExists(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular()
}
