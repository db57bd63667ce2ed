package imagein

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
)

// IsImagePath reports whether path has the extension of a supported image
// format (.png, .jpg, .jpeg, .jpe, .gif, .bmp, .tif, .tiff or .webp, in
// any letter case). It does not look at the content.
func IsImagePath(path string) bool {
	_, ok := formatByExtension[strings.ToLower(filepath.Ext(path))]
	return ok
}

// ListImages walks the folder root recursively and returns the paths of
// its image files, chosen by extension as in IsImagePath, sorted. When root
// is itself an image file, the result is that one path.
//
// progress, if not nil, is called on the calling goroutine after each
// image found, with the number found so far. It must return quickly
// because the walk waits for it.
// ListImages checks ctx before each entry and returns nil and ctx.Err()
// once ctx is done.
//
// Symbolic links to folders are not followed, so links cannot form loops.
// A subfolder that cannot be read is skipped: ListImages then returns the
// images found elsewhere together with an error that names each skipped
// folder. An error on root itself returns no paths.
func ListImages(ctx context.Context, root string, progress func(found int)) ([]string, error) {
	var paths []string
	var skipped []error
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if err != nil {
			if path == root {
				return err
			}
			skipped = append(skipped, err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !IsImagePath(path) {
			return nil
		}
		paths = append(paths, path)
		if progress != nil {
			progress(len(paths))
		}
		return nil
	})

	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	if err != nil {
		return nil, openError(root, err)
	}
	slices.Sort(paths)
	if len(skipped) > 0 {
		return paths, errors.Join(skipped...)
	}
	return paths, nil
}
