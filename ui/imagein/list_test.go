package imagein

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// makeTree creates files (relative paths, slash-separated) under a new
// temporary folder and returns the folder.
func makeTree(t *testing.T, files []string) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range files {
		path := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestListImages(t *testing.T) {
	root := makeTree(t, []string{
		"b.png", "a.JPG", "notes.txt", "sub/c.webp", "sub/deeper/d.tiff",
		"sub/deeper/e.TIF", "sub/f.bmp", "sub/g.gif", "sub/h.jpeg", "sub/png", "x.png.bak",
	})
	want := []string{"a.JPG", "b.png", "sub/c.webp", "sub/deeper/d.tiff", "sub/deeper/e.TIF", "sub/f.bmp", "sub/g.gif", "sub/h.jpeg"}
	for i, w := range want {
		want[i] = filepath.Join(root, filepath.FromSlash(w))
	}
	slices.Sort(want)

	var calls []int
	got, err := ListImages(context.Background(), root, func(found int) { calls = append(calls, found) })
	if err != nil {
		t.Fatalf("ListImages: %v", err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("ListImages =\n%q\nwant\n%q", got, want)
	}
	if len(calls) != len(want) || calls[len(calls)-1] != len(want) {
		t.Errorf("progress calls = %v, want 1 to %d", calls, len(want))
	}
}

func TestListImagesSingleFile(t *testing.T) {
	root := makeTree(t, []string{"one.png"})
	path := filepath.Join(root, "one.png")
	got, err := ListImages(context.Background(), path, nil)
	if err != nil {
		t.Fatalf("ListImages: %v", err)
	}
	if !slices.Equal(got, []string{path}) {
		t.Errorf("ListImages = %q, want [%q]", got, path)
	}
}

func TestListImagesMissingRoot(t *testing.T) {
	root := filepath.Join(t.TempDir(), "gone")
	got, err := ListImages(context.Background(), root, nil)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("ListImages error = %v, want ErrNotFound", err)
	}
	if got != nil {
		t.Errorf("ListImages returned %q with an error", got)
	}
}

func TestListImagesCancel(t *testing.T) {
	files := make([]string, 200)
	for i := range files {
		files[i] = filepath.Join("batch", strings.Repeat("d", i%7+1), "img"+string(rune('a'+i%26))+string(rune('a'+i/26))+".png")
	}
	root := makeTree(t, files)

	t.Run("cancelled before start", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		calls := 0
		got, err := ListImages(ctx, root, func(int) { calls++ })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error = %v, want context.Canceled", err)
		}
		if got != nil || calls != 0 {
			t.Errorf("got %d paths and %d progress calls, want none", len(got), calls)
		}
	})

	t.Run("cancelled during walk", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		last := 0
		got, err := ListImages(ctx, root, func(found int) {
			last = found
			if found == 10 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error = %v, want context.Canceled", err)
		}
		if got != nil {
			t.Errorf("got %d paths after cancellation, want none", len(got))
		}
		if last != 10 {
			t.Errorf("walk went on to %d images after cancellation at 10", last)
		}
	})
}

func TestListImagesUnreadableSubfolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads folders regardless of their permission bits")
	}
	root := makeTree(t, []string{"a.png", "locked/b.png"})
	locked := filepath.Join(root, "locked")
	if err := os.Chmod(locked, 0o000); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(locked, 0o755)

	got, err := ListImages(context.Background(), root, nil)
	if err == nil || !strings.Contains(err.Error(), locked) {
		t.Errorf("error = %v, want one naming %s", err, locked)
	}
	if want := []string{filepath.Join(root, "a.png")}; !slices.Equal(got, want) {
		t.Errorf("ListImages = %q, want %q", got, want)
	}
}
