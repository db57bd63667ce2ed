package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ebmlab/ebmlab/assets"
)

const (
	// FashionMNISTDir is the folder where the Debian package
	// dataset-fashion-mnist installs the Fashion-MNIST IDX files.
	FashionMNISTDir = "/usr/share/datasets/fashion-mnist"

	// Sample counts that Load uses for every built-in set. They match the
	// embedded MNIST subset.
	TrainCount = assets.MNISTTrainCount
	TestCount  = assets.MNISTTestCount

	// Stream numbers of the PCG generators for toy training and test
	// draws, so that the two sets are independent for the same seed.
	toyTrainStream = 1
	toyTestStream  = 2
)

var (
	digitClasses   = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	fashionClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
)

// Names returns the names that Load accepts: "mnist", "fashion-mnist" and
// the toy names.
func Names() []string {
	return append([]string{"mnist", "fashion-mnist"}, ToyNames()...)
}

// Load returns the training and held-out test sets for a built-in name.
//
// For "mnist" these are the first 10,000 training and first 2,000 test
// images embedded in package assets. For "fashion-mnist" they are the first
// 10,000 training and 2,000 test images of the files in FashionMNISTDir.
// For a toy name they are 10,000 and 2,000 points drawn from independent
// PCG streams seeded with seed. The seed affects only toy sets.
func Load(name string, seed uint64) (train, test *Dataset, err error) {
	switch {
	case name == "mnist":
		return loadMNIST()
	case name == "fashion-mnist":
		return loadFashionMNIST(FashionMNISTDir)
	case slices.Contains(ToyNames(), name):
		train, err = Toy(name, TrainCount, rand.New(rand.NewPCG(seed, toyTrainStream)))
		if err != nil {
			return nil, nil, err
		}
		test, err = Toy(name, TestCount, rand.New(rand.NewPCG(seed, toyTestStream)))
		if err != nil {
			return nil, nil, err
		}
		return train, test, nil
	}
	return nil, nil, fmt.Errorf("dataset: unknown dataset %q: valid names are %s", name, strings.Join(Names(), ", "))
}

func loadMNIST() (train, test *Dataset, err error) {
	trainImages, trainLabels, testImages, testLabels := assets.MNIST()

	train, err = readIDX(bytes.NewReader(trainImages), bytes.NewReader(trainLabels),
		"assets/mnist/train-images-idx3-ubyte.gz", "assets/mnist/train-labels-idx1-ubyte.gz", 0)
	if err != nil {
		return nil, nil, err
	}
	test, err = readIDX(bytes.NewReader(testImages), bytes.NewReader(testLabels),
		"assets/mnist/t10k-images-idx3-ubyte.gz", "assets/mnist/t10k-labels-idx1-ubyte.gz", 0)
	if err != nil {
		return nil, nil, err
	}

	for _, d := range []*Dataset{train, test} {
		d.Name = "mnist"
		d.Classes = slices.Clone(digitClasses)
	}
	return train, test, nil
}

func loadFashionMNIST(dir string) (train, test *Dataset, err error) {
	train, err = readIDXFiles(dir, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", TrainCount)
	if err != nil {
		return nil, nil, err
	}
	test, err = readIDXFiles(dir, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", TestCount)
	if err != nil {
		return nil, nil, err
	}

	for _, d := range []*Dataset{train, test} {
		if len(d.Classes) > len(fashionClasses) {
			return nil, nil, fmt.Errorf("dataset: fashion-mnist in %s has label %d, but Fashion-MNIST labels are 0 to 9", dir, len(d.Classes)-1)
		}
		d.Name = "fashion-mnist"
		d.Classes = slices.Clone(fashionClasses)
	}
	return train, test, nil
}

// readIDXFiles reads the first limit samples of an image and label file
// pair in dir.
func readIDXFiles(dir, imageFile, labelFile string, limit int) (*Dataset, error) {
	images, err := os.Open(filepath.Join(dir, imageFile))
	if err != nil {
		return nil, fashionOpenError(err)
	}
	defer images.Close()
	labels, err := os.Open(filepath.Join(dir, labelFile))
	if err != nil {
		return nil, fashionOpenError(err)
	}
	defer labels.Close()

	return readIDX(images, labels, images.Name(), labels.Name(), limit)
}

func fashionOpenError(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("dataset: fashion-mnist is not installed: install it with `apt-get install dataset-fashion-mnist`: %w", err)
	}
	return fmt.Errorf("dataset: opening fashion-mnist: %w", err)
}
