package dataset

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// openIDXFile reads an IDX image file, its labels when a matching file
// sits next to it, and the held-out pair named with "t10k" or "test" in
// place of "train" when there is one. test is nil when there is none.
func openIDXFile(ctx context.Context, path string, progress func(done, total int), limit int) (train, test *Dataset, limitErr *LimitError, err error) {
	labels := labelFileFor(path)
	testImages := heldOutFileFor(path)
	testLabels := ""
	if testImages != "" {
		testLabels = labelFileFor(testImages)
	}
	count := &byteCount{total: fileSizes(path, labels, testImages, testLabels)}

	all, limitErr, err := readIDXPath(ctx, path, labels, count, progress, limit)
	if err != nil {
		return nil, nil, nil, err
	}
	if testImages == "" {
		progress(int(count.total), int(count.total))
		return all, nil, limitErr, nil
	}

	test, testLimitErr, err := readIDXPath(ctx, testImages, testLabels, count, progress, limit)
	if err != nil {
		return nil, nil, nil, err
	}
	if limitErr == nil {
		limitErr = testLimitErr
	}
	if test.H != all.H || test.W != all.W {
		return nil, nil, nil, fmt.Errorf("dataset: held-out images in %s are %d×%d pixels, but the training images in %s are %d×%d: move or rename %[1]s to split %[4]s instead",
			testImages, test.H, test.W, path, all.H, all.W)
	}
	progress(int(count.total), int(count.total))

	if all.Labels != nil && test.Labels != nil {
		// Both sets get the names of the larger label range.
		if len(test.Classes) > len(all.Classes) {
			all.Classes = slices.Clone(test.Classes)
		} else {
			test.Classes = slices.Clone(all.Classes)
		}
	}
	return all, test, limitErr, nil
}

// readIDXPath reads the first limit images of an IDX image file and, when
// labels is not empty, of its label file.
func readIDXPath(ctx context.Context, images, labels string, count *byteCount, progress func(done, total int), limit int) (*Dataset, *LimitError, error) {
	imageFile, imageReader, err := openTracked(ctx, images, count, progress)
	if err != nil {
		return nil, nil, err
	}
	defer imageFile.Close()
	var labelReader io.Reader
	if labels != "" {
		labelFile, r, err := openTracked(ctx, labels, count, progress)
		if err != nil {
			return nil, nil, err
		}
		defer labelFile.Close()
		labelReader = r
	}

	// Reading one sample more than the limit distinguishes a source at
	// the limit from a larger one.
	d, err := readIDX(imageReader, labelReader, images, labels, limit+1)
	if err != nil {
		return nil, nil, cancelled(ctx, images, err)
	}
	if d.Len() <= limit {
		return d, nil, nil
	}

	d.X = d.X[:limit*d.Dim()]
	if d.Labels != nil {
		d.Labels = d.Labels[:limit]
		d.Classes = classNames(d.Labels)
	}
	return d, &LimitError{Path: images, Kind: "images", Kept: limit, Rule: fmt.Sprintf("the first %d", limit)}, nil
}

// labelFileFor returns the IDX label file that belongs to an image file,
// or "" when there is none. The name is the image file's with "images"
// replaced by "labels" and "idx3" by "idx1", raw or gzipped.
func labelFileFor(images string) string {
	dir, base := filepath.Split(images)
	if !strings.Contains(base, "images") {
		return ""
	}
	name := strings.Replace(strings.Replace(base, "images", "labels", 1), "idx3", "idx1", 1)
	return firstExisting(dir, name)
}

// heldOutFileFor returns the held-out IDX image file that pairs with a
// training file, or "" when there is none: the name with "train" replaced
// by "t10k", as MNIST names it, or by "test", raw or gzipped.
func heldOutFileFor(images string) string {
	dir, base := filepath.Split(images)
	if !strings.Contains(base, "train") {
		return ""
	}
	for _, replacement := range []string{"t10k", "test"} {
		if path := firstExisting(dir, strings.Replace(base, "train", replacement, 1)); path != "" {
			return path
		}
	}
	return ""
}

// firstExisting returns the first of name, name with ".gz" appended and
// name without its ".gz" that is a regular file in dir, or "".
func firstExisting(dir, name string) string {
	candidates := []string{name, name + ".gz"}
	if trimmed, ok := strings.CutSuffix(name, ".gz"); ok {
		candidates = []string{name, trimmed}
	}
	for _, candidate := range candidates {
		if path := filepath.Join(dir, candidate); fileExists(path) {
			return path
		}
	}
	return ""
}

// fileSizes returns the total size of the named files, skipping "".
func fileSizes(paths ...string) int64 {
	var total int64
	for _, path := range paths {
		if path == "" {
			continue
		}
		if info, err := os.Stat(path); err == nil {
			total += info.Size()
		}
	}
	return total
}
