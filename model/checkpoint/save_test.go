package checkpoint

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// saveLoopEnv makes the test binary run saveLoop instead of the tests. The
// killed-save test starts the binary as a child process with it set.
const saveLoopEnv = "EBMLAB_CHECKPOINT_SAVE_LOOP"

func TestMain(m *testing.M) {
	if path := os.Getenv(saveLoopEnv); path != "" {
		saveLoop(path)
		return
	}
	os.Exit(m.Run())
}

// generationFile returns a File whose every element and whose metadata
// record the generation g, so a reader can tell a mixed file.
func generationFile(g, n int) *File {
	data := make([]float32, n)
	for i := range data {
		data[i] = float32(g)
	}
	ages := make([]int64, n/16)
	for i := range ages {
		ages[i] = int64(g)
	}
	return &File{
		Meta: json.RawMessage(fmt.Sprintf(`{"generation":%d}`, g)),
		Tensors: []Tensor{
			{Name: "buffer", Shape: []int{n}, Data: data},
			{Name: "ages", Shape: []int{n / 16}, Ints: ages},
		},
	}
}

// checkGeneration returns the generation of a File made by generationFile,
// or an error if its parts disagree.
func checkGeneration(f *File, n int) (int, error) {
	var meta struct{ Generation int }
	if err := json.Unmarshal(f.Meta, &meta); err != nil {
		return 0, err
	}
	buffer, err := f.Expect("buffer", n)
	if err != nil {
		return 0, err
	}
	ages, err := f.ExpectInts("ages", n/16)
	if err != nil {
		return 0, err
	}
	for i, v := range buffer.Data {
		if v != float32(meta.Generation) {
			return 0, fmt.Errorf("buffer[%d] = %v in generation %d", i, v, meta.Generation)
		}
	}
	for i, v := range ages.Ints {
		if v != int64(meta.Generation) {
			return 0, fmt.Errorf("ages[%d] = %v in generation %d", i, v, meta.Generation)
		}
	}
	return meta.Generation, nil
}

// crashElements is the size of the files that the killed-save test writes:
// 4 MiB of float32 and 512 KiB of int64.
const crashElements = 1 << 20

// saveLoop saves ever newer generations to path until the process is
// killed. It writes "ready" to stdout when it starts and "saved" after each
// Save returns.
func saveLoop(path string) {
	first, err := strconv.Atoi(os.Getenv(saveLoopEnv + "_FIRST"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println("ready")
	for g := first; ; g++ {
		if err := Save(path, generationFile(g, crashElements)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("saved")
	}
}

// TestSaveKilled kills a process that saves in a loop at random moments and
// checks that the file at the path always loads, holds one generation, and
// is at least as new as the last save that returned.
func TestSaveKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("cannot find the test binary: %v", err)
	}
	path := filepath.Join(t.TempDir(), "run.ebmck")
	if err := Save(path, generationFile(0, crashElements)); err != nil {
		t.Fatal(err)
	}

	const trials = 10
	rng := rand.New(rand.NewPCG(11, 12))
	last := 0
	for trial := range trials {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), saveLoopEnv+"="+path, fmt.Sprintf("%s_FIRST=%d", saveLoopEnv, last+1))
		cmd.Stderr = os.Stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}

		// Waiting for the first "saved" measures one save on this machine,
		// so the random pause lands anywhere in the next one or two. The
		// pause only places the kill; nothing asserts on time.
		lines := bufio.NewReader(stdout)
		ready, err := lines.ReadString('\n')
		start := time.Now()
		saved, err2 := lines.ReadString('\n')
		if ready != "ready\n" || saved != "saved\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("trial %d: child wrote %q, %q (%v, %v); want ready and saved", trial, ready, saved, err, err2)
		}
		oneSave := time.Since(start)
		time.Sleep(time.Duration(rng.Int64N(2 * int64(oneSave))))
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()

		f, err := Load(path)
		if err != nil {
			t.Fatalf("trial %d: the file left by a killed save does not load: %v", trial, err)
		}
		g, err := checkGeneration(f, crashElements)
		if err != nil {
			t.Fatalf("trial %d: mixed generations: %v", trial, err)
		}
		if g <= last {
			t.Fatalf("trial %d: generation %d at the path, but generation %d was saved", trial, g, last+1)
		}
		t.Logf("trial %d: the path holds save %d of this child", trial, g-last)
		last = g
	}
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.ebmck")
	for g := range 3 {
		if err := Save(path, generationFile(g, 1000)); err != nil {
			t.Fatalf("Save generation %d: %v", g, err)
		}
		f, err := Load(path)
		if err != nil {
			t.Fatalf("Load generation %d: %v", g, err)
		}
		if got, err := checkGeneration(f, 1000); err != nil || got != g {
			t.Errorf("loaded generation %d, %v; want %d", got, err, g)
		}
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "run.ebmck" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory contains %v after saving, want only run.ebmck", names)
	}
}

func TestSaveKeepsPermissions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.ebmck")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, generationFile(1, 16)); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o640 {
		t.Errorf("permissions after Save %v, want %v", got, fs.FileMode(0o640))
	}
}

func TestSaveFailureKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.ebmck")
	if err := Save(path, generationFile(1, 16)); err != nil {
		t.Fatal(err)
	}

	errWrite := errors.New("disk full")
	err := WriteAtomic(path, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return errWrite
	})
	if !errors.Is(err, errWrite) || !strings.Contains(err.Error(), path) {
		t.Errorf("WriteAtomic error %v, want one that wraps %v and names %s", err, errWrite, path)
	}
	if err := Save(path, &File{Meta: json.RawMessage(`{`)}); err == nil {
		t.Errorf("Save of invalid metadata succeeded")
	}

	f, err := Load(path)
	if err != nil {
		t.Fatalf("previous file does not load after failed saves: %v", err)
	}
	if g, err := checkGeneration(f, 16); err != nil || g != 1 {
		t.Errorf("generation %d, %v after failed saves; want 1", g, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("directory contains %d entries after failed saves, want 1", len(entries))
	}
}

func TestSaveMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "run.ebmck")
	err := Save(path, generationFile(1, 16))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("Save error %v, want one that wraps fs.ErrNotExist and names %s", err, path)
	}
}

func TestLoadErrorsNamePath(t *testing.T) {
	dir := t.TempDir()
	damaged := filepath.Join(dir, "damaged.ebmck")
	if err := os.WriteFile(damaged, smallEncoded(t)[:50], 0o666); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		name string
		path string
		want error
	}{
		{"missing file", filepath.Join(dir, "missing.ebmck"), fs.ErrNotExist},
		{"damaged file", damaged, ErrTruncated},
		{"directory", dir, nil},
	} {
		t.Run(test.name, func(t *testing.T) {
			f, err := Load(test.path)
			if f != nil || err == nil {
				t.Fatalf("Load = %v, %v; want an error", f, err)
			}
			if test.want != nil && !errors.Is(err, test.want) {
				t.Errorf("error %v, want %v", err, test.want)
			}
			if !strings.Contains(err.Error(), test.path) {
				t.Errorf("error %q does not name %s", err, test.path)
			}
		})
	}
}
