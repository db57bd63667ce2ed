package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run executes the command line and returns its exit status and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, Env{Stdout: &stdout, Stderr: &stderr})
	return code, stdout.String(), stderr.String()
}

func TestBadCommandLines(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		args []string
		want []string // substrings of the message
	}{
		{"no command", nil, []string{"usage: ebmlab"}},
		{"unknown command", []string{"trian"}, []string{`unknown command "trian"`, "train"}},
		{"unknown flag", []string{"train", "--data", "mnist", "--setps", "5"}, []string{"-setps", "help train"}},
		{"missing data", []string{"train"}, []string{"missing --data", "mnist"}},
		{"unknown data", []string{"train", "--data", "mnistt"}, []string{`"mnistt"`, "no such file", "8gaussians"}},
		{"empty folder", []string{"train", "--data", dir}, []string{dir, "no images found"}},
		{"unknown model", []string{"train", "--data", "2moons", "--model", "resnet"}, []string{"resnet", "mlp-2d"}},
		{"wrong model for data", []string{"train", "--data", "2moons", "--model", "mnist-cnn"}, []string{"mnist-cnn", "2×1×1", "mlp-2d"}},
		{"bad number", []string{"train", "--data", "2moons", "--step-size", "fast"}, []string{`--step-size "fast"`, "number"}},
		{"negative steps", []string{"train", "--data", "2moons", "--steps", "-3"}, []string{"-3"}},
		{"zero iterations", []string{"train", "--data", "2moons", "--iterations", "0"}, []string{"--iterations 0", "at least 1"}},
		{"reinit above one", []string{"train", "--data", "2moons", "--reinit", "2"}, []string{"reinit", "2", "between 0 and 1"}},
		{"stray argument", []string{"train", "--data", "2moons", "extra"}, []string{`"extra"`}},
		{"energy without checkpoint", []string{"energy", "x.png"}, []string{"missing --checkpoint"}},
		{"energy missing checkpoint", []string{"energy", "--checkpoint", filepath.Join(dir, "none.ebm"), "x.png"}, []string{"none.ebm"}},
		{"energy without files", []string{"energy", "--checkpoint", "c.ebm"}, []string{"no input files"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(t, c.args...)
			if code != exitUsage {
				t.Errorf("exit status %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			for _, want := range c.want {
				if !strings.Contains(stderr, want) {
					t.Errorf("message %q does not mention %q", stderr, want)
				}
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
				t.Errorf("message shows a stack trace: %s", stderr)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	code, stdout, _ := run(t, "help", "train")
	if code != exitOK {
		t.Fatalf("help train: exit status %d", code)
	}
	for _, want := range []string{"--data", "-step-size", "-reinit", "-seed"} {
		if !strings.Contains(stdout, strings.TrimLeft(want, "-")) {
			t.Errorf("help train does not list %s", want)
		}
	}
}

// trainToy runs a short seeded training on 2 moons into dir.
func trainToy(t *testing.T, dir string, seed string) {
	t.Helper()
	code, _, stderr := run(t, "train", "--data", "2moons", "--iterations", "6", "--seed", seed,
		"--batch", "64", "--steps", "5", "--buffer-size", "512", "--out", dir)
	if code != exitOK {
		t.Fatalf("train: exit status %d: %s", code, stderr)
	}
}

// readMetrics returns metrics.csv without its seconds column.
func readMetrics(t *testing.T, dir string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "metrics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		rows[i] = rows[i][:len(rows[i])-1]
	}
	return rows
}

func TestTrainSeededRunsAgree(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	trainToy(t, a, "7")
	trainToy(t, b, "7")
	trainToy(t, c, "8")

	ra, rb, rc := readMetrics(t, a), readMetrics(t, b), readMetrics(t, c)
	if len(ra) != 7 {
		t.Fatalf("metrics.csv has %d rows, want a header and 6 iterations", len(ra))
	}
	if ra[0][0] != "iteration" || ra[0][1] != "loss" {
		t.Errorf("header %v", ra[0])
	}
	for i := range ra {
		if strings.Join(ra[i], ",") != strings.Join(rb[i], ",") {
			t.Errorf("row %d differs between runs with seed 7:\n%v\n%v", i, ra[i], rb[i])
		}
	}
	if strings.Join(ra[6], ",") == strings.Join(rc[6], ",") {
		t.Error("seeds 7 and 8 gave the same last row")
	}
	for _, name := range []string{"samples.png", "checkpoint.ebm"} {
		if st, err := os.Stat(filepath.Join(a, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", name, err)
		}
	}
}

func TestEnergyCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a CNN")
	}
	dir := trainTinyMNIST(t)

	black := filepath.Join(dir, "black.png")
	writeTestPNG(t, black, color.Gray{0})
	garbage := filepath.Join(dir, "garbage.png")
	if err := os.WriteFile(garbage, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := run(t, "energy", "--checkpoint", filepath.Join(dir, "checkpoint.ebm"), black, garbage)
	if code != exitUsage {
		t.Errorf("exit status %d with one unreadable file, want %d", code, exitUsage)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], black+"\t") {
		t.Fatalf("output %q, want a header and one line for %s", stdout, black)
	}
	if fields := strings.Split(lines[1], "\t"); len(fields) != 3 {
		t.Errorf("line %q, want path, energy and percentile", lines[1])
	}
	if !strings.Contains(stderr, "garbage.png") {
		t.Errorf("message %q does not name the unreadable file", stderr)
	}
}

func writeTestPNG(t *testing.T, path string, c color.Gray) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 28, 28))
	for i := range img.Pix {
		img.Pix[i] = c.Y
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func TestTrainResumeMatchesUninterrupted(t *testing.T) {
	whole, part, resumed := t.TempDir(), t.TempDir(), t.TempDir()
	common := []string{"--data", "2moons", "--seed", "3", "--batch", "64", "--steps", "5", "--buffer-size", "512"}
	if code, _, stderr := run(t, append([]string{"train", "--iterations", "8", "--out", whole}, common...)...); code != exitOK {
		t.Fatalf("train: %s", stderr)
	}
	if code, _, stderr := run(t, append([]string{"train", "--iterations", "4", "--out", part}, common...)...); code != exitOK {
		t.Fatalf("train: %s", stderr)
	}
	code, _, stderr := run(t, "train", "--resume", filepath.Join(part, "checkpoint.ebm"), "--iterations", "8", "--out", resumed)
	if code != exitOK {
		t.Fatalf("train --resume: %s", stderr)
	}
	a, b := readMetrics(t, whole), readMetrics(t, resumed)
	if len(a) != 9 || len(b) != 9 {
		t.Fatalf("metrics rows: %d uninterrupted, %d resumed; want 9 each", len(a), len(b))
	}
	for i := range a {
		if strings.Join(a[i], ",") != strings.Join(b[i], ",") {
			t.Errorf("row %d differs:\n%v\n%v", i, a[i], b[i])
		}
	}

	code, _, stderr = run(t, "train", "--resume", filepath.Join(part, "checkpoint.ebm"), "--iterations", "3", "--out", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "already at iteration 4") {
		t.Errorf("resume below the checkpoint's iteration: status %d, %s", code, stderr)
	}
}

func TestTrainConfigReproducesRun(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	trainToy(t, first, "9")
	code, _, stderr := run(t, "train", "--config", filepath.Join(first, "config.toml"), "--out", second)
	if code != exitOK {
		t.Fatalf("train --config: %s", stderr)
	}
	a, b := readMetrics(t, first), readMetrics(t, second)
	if len(a) != len(b) {
		t.Fatalf("%d and %d metrics rows", len(a), len(b))
	}
	for i := range a {
		if strings.Join(a[i], ",") != strings.Join(b[i], ",") {
			t.Errorf("row %d differs:\n%v\n%v", i, a[i], b[i])
		}
	}
}

func TestTrainConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("data = \"2moons\"\nsetp_size = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "train", "--config", bad, "--out", dir)
	if code != exitUsage || !strings.Contains(stderr, "bad.toml") || !strings.Contains(stderr, "setp_size") {
		t.Errorf("bad config: status %d, %s", code, stderr)
	}
	code, _, stderr = run(t, "train", "--config", bad, "--resume", "x.ebm")
	if code != exitUsage || !strings.Contains(stderr, "give one of them") {
		t.Errorf("--config with --resume: status %d, %s", code, stderr)
	}
}

func TestTrainOwnDataFormats(t *testing.T) {
	cases := []struct {
		name, path, model string
	}{
		{"image folder", "../../model/dataset/testdata/shapes", "mnist-cnn"},
		{"CIFAR-10 batch", "../../model/dataset/testdata/cifar10/data_batch_1.bin", "cifar-cnn"},
		{"2-D points", "../../model/dataset/testdata/points.csv", "mlp-2d"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			code, stdout, stderr := run(t, "train", "--data", c.path, "--iterations", "2", "--batch", "2",
				"--buffer-size", "4", "--steps", "2", "--out", dir)
			if code != exitOK {
				t.Fatalf("exit status %d: %s", code, stderr)
			}
			if !strings.Contains(stderr, "training "+c.model) {
				t.Errorf("trained with another model than %s: %s", c.model, stderr)
			}
			if !strings.Contains(stdout, "checkpoint.ebm") {
				t.Errorf("output %q does not list the checkpoint", stdout)
			}
		})
	}
}

// trainTinyMNIST trains mnist-cnn for two small iterations and returns
// the output directory holding its checkpoint.
func trainTinyMNIST(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	code, _, stderr := run(t, "train", "--data", "mnist", "--iterations", "2", "--batch", "16",
		"--steps", "2", "--buffer-size", "64", "--out", dir)
	if code != exitOK {
		t.Fatalf("train: exit status %d: %s", code, stderr)
	}
	return dir
}
