package assets

import _ "embed"

// Record counts of the embedded MNIST subset.
const (
	MNISTTrainCount = 10000
	MNISTTestCount  = 2000
)

// Icon is the application icon as PNG bytes. Callers must not modify it.
//
//go:embed icon.png
var Icon []byte

var (
	//go:embed mnist/train-images-idx3-ubyte.gz
	mnistTrainImages []byte

	//go:embed mnist/train-labels-idx1-ubyte.gz
	mnistTrainLabels []byte

	//go:embed mnist/t10k-images-idx3-ubyte.gz
	mnistTestImages []byte

	//go:embed mnist/t10k-labels-idx1-ubyte.gz
	mnistTestLabels []byte
)

// MNIST returns the gzipped IDX files of the embedded MNIST subset: the
// first 10,000 training images and labels and the first 2,000 test images
// and labels. The slices alias the embedded data and must not be modified.
func MNIST() (trainImages, trainLabels, testImages, testLabels []byte) {
	return mnistTrainImages, mnistTrainLabels, mnistTestImages, mnistTestLabels
}
