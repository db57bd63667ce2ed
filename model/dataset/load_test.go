package dataset

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	names := Names()
	want := append([]string{"mnist", "fashion-mnist"}, "8gaussians", "2moons", "swissroll", "circles", "rings", "pinwheel", "checkerboard")
	if !slices.Equal(names, want) {
		t.Errorf("Names = %q, want %q", names, want)
	}
}

func TestLoadMNIST(t *testing.T) {
	train, test, err := Load("mnist", 0)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}

	for _, d := range []*Dataset{train, test} {
		if d.Name != "mnist" || d.C != 1 || d.H != 28 || d.W != 28 {
			t.Errorf("Name, shape = %q, %d×%d×%d, want mnist, 1×28×28", d.Name, d.C, d.H, d.W)
		}
		if len(d.Classes) != 10 || d.Classes[7] != "7" {
			t.Errorf("Classes = %q, want 0 to 9", d.Classes)
		}
		if d.Lo != -1 || d.Hi != 1 {
			t.Errorf("range = [%v, %v], want [-1, 1]", d.Lo, d.Hi)
		}
	}
	if train.Len() != 10000 || len(train.Labels) != 10000 {
		t.Errorf("train Len, len(Labels) = %d, %d, want 10000", train.Len(), len(train.Labels))
	}
	if test.Len() != 2000 || len(test.Labels) != 2000 {
		t.Errorf("test Len, len(Labels) = %d, %d, want 2000", test.Len(), len(test.Labels))
	}
	// The first MNIST training labels are 5, 0, 4, 1 and the first test
	// labels 7, 2, 1, 0.
	if got := train.Labels[:4]; !slices.Equal(got, []int{5, 0, 4, 1}) {
		t.Errorf("first training labels = %v, want [5 0 4 1]", got)
	}
	if got := test.Labels[:4]; !slices.Equal(got, []int{7, 2, 1, 0}) {
		t.Errorf("first test labels = %v, want [7 2 1 0]", got)
	}

	// Digits are white on black: the border is background (−1) and
	// a few pixels near the centre are ink.
	first := train.Sample(0)
	if first[0] != -1 || first[27] != -1 || first[28*28-1] != -1 {
		t.Errorf("corner pixels = %v, %v, %v, want -1", first[0], first[27], first[28*28-1])
	}
	ink := 0
	for _, v := range first {
		if v > 0.5 {
			ink++
		}
	}
	if ink < 50 || ink > 300 {
		t.Errorf("first image has %d pixels above 0.5, want 50 to 300 for a digit", ink)
	}

	counts := make([]int, 10)
	for _, label := range train.Labels {
		counts[label]++
	}
	for digit, count := range counts {
		if count < 800 || count > 1200 {
			t.Errorf("training set has %d images of %d, want about 1,000", count, digit)
		}
	}
}

func TestLoadToy(t *testing.T) {
	train, test, err := Load("2moons", 42)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	again, _, err := Load("2moons", 42)
	if err != nil {
		t.Fatalf("second Load: %v", err)
	}
	other, _, err := Load("2moons", 43)
	if err != nil {
		t.Fatalf("Load with another seed: %v", err)
	}

	if train.Len() != 10000 || test.Len() != 2000 {
		t.Errorf("Len = %d, %d, want 10000, 2000", train.Len(), test.Len())
	}
	if !slices.Equal(train.X, again.X) {
		t.Error("two loads with seed 42 differ")
	}
	if slices.Equal(train.X, other.X) {
		t.Error("loads with seeds 42 and 43 are equal")
	}
	if slices.Equal(train.X[:2*test.Len()], test.X) {
		t.Error("test set repeats the start of the training set, want an independent draw")
	}
}

func TestLoadUnknown(t *testing.T) {
	_, _, err := Load("cifar10", 1)

	if err == nil {
		t.Fatal("Load returned no error")
	}
	for _, want := range []string{`"cifar10"`, "mnist", "fashion-mnist", "checkerboard"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error = %q, want it to contain %q", err, want)
		}
	}
}

func TestLoadFashionMNIST(t *testing.T) {
	if _, err := os.Stat(FashionMNISTDir); err != nil {
		t.Skipf("Fashion-MNIST not installed: %v", err)
	}

	train, test, err := Load("fashion-mnist", 0)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}

	if train.Len() != 10000 || test.Len() != 2000 {
		t.Errorf("Len = %d, %d, want 10000, 2000", train.Len(), test.Len())
	}
	for _, d := range []*Dataset{train, test} {
		if d.Name != "fashion-mnist" || d.H != 28 || d.W != 28 {
			t.Errorf("Name, shape = %q, %d×%d, want fashion-mnist, 28×28", d.Name, d.H, d.W)
		}
		if len(d.Classes) != 10 || d.Classes[9] != "Ankle boot" {
			t.Errorf("Classes = %q, want the ten Fashion-MNIST names", d.Classes)
		}
	}
	// The first Fashion-MNIST training label is 9 (ankle boot) and the
	// first test label is 9 too.
	if train.Labels[0] != 9 || test.Labels[0] != 9 {
		t.Errorf("first labels = %d, %d, want 9, 9", train.Labels[0], test.Labels[0])
	}
}

func TestLoadFashionMNISTMissing(t *testing.T) {
	_, _, err := loadFashionMNIST(t.TempDir())

	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error = %v, want it to wrap fs.ErrNotExist", err)
	}
	if err == nil || !strings.Contains(err.Error(), "apt-get install dataset-fashion-mnist") {
		t.Errorf("error = %v, want the apt-get command", err)
	}
}
