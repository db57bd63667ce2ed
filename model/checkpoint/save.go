package checkpoint

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
)

// Save writes f to path atomically: a crash or kill at any moment leaves
// either the previous file at path or the new one, complete. Errors name
// the path.
func Save(path string, f *File) error {
	err := WriteAtomic(path, func(w io.Writer) error { return Encode(w, f) })
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// Load reads the checkpoint at path. Errors name the path, and format
// errors wrap a *FormatError.
func Load(path string) (*File, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err) // *fs.PathError names the path
	}
	defer file.Close()

	info, err := file.Stat()
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	size := info.Size()
	if !info.Mode().IsRegular() {
		size = -1
	}
	f, err := decode(file, size)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return f, nil
}

// tempCounter makes temporary names unique within the process, and the
// process id makes them unique between processes.
var tempCounter atomic.Uint64

// WriteAtomic replaces the file at path with the bytes that write produces.
// It writes them to a temporary file in the same directory, syncs it,
// renames it over path and syncs the directory, so a crash or kill at any
// moment leaves either the previous file or the new one. The new file
// keeps the permissions of the file it replaces; a new path gets 0666
// minus the umask. A symbolic link at path is replaced, not followed. When
// write or any step before the rename fails, the temporary file is removed
// and path is untouched. The error names path.
func WriteAtomic(path string, write func(w io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	perm := fs.FileMode(0o666)
	if info, err := os.Stat(path); err == nil {
		perm = info.Mode().Perm()
	}

	tmp, err := createTemp(dir, base, perm)
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err := writeSync(tmp, write); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("save %s: %w", path, err)
	}

	// Without this sync the rename itself may be lost in a power failure,
	// although the file's content is already on disk.
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("save %s: sync directory: %w", path, err)
	}
	return nil
}

// createTemp creates a new file named ".BASE.tmp-PID-N" in dir. Unlike
// os.CreateTemp, it applies the umask to perm.
func createTemp(dir, base string, perm fs.FileMode) (*os.File, error) {
	const attempts = 100
	for range attempts {
		name := filepath.Join(dir, fmt.Sprintf(".%s.tmp-%d-%d", base, os.Getpid(), tempCounter.Add(1)))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue // left by a killed process that had the same id
		}
		return f, err
	}
	return nil, fmt.Errorf("no free temporary name in %s after %d attempts", dir, attempts)
}

// writeSync writes, syncs and closes f.
func writeSync(f *os.File, write func(w io.Writer) error) error {
	w := bufio.NewWriterSize(f, 1<<20)
	err := write(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}
