// Package quality computes live sample-quality figures for EBM Lab that
// need no download and are cheap enough to recompute every few seconds
// during training.
//
// # Points: MMD
//
// For 2-D data, MMD returns the unbiased estimate of the squared maximum
// mean discrepancy (Gretton et al., A Kernel Two-Sample Test, JMLR 13,
// 2012) between model samples and data, with a kernel that averages four
// Gaussian kernels of fixed standard deviations 0.25, 0.5, 1 and 2 in data
// units. Fixed bandwidths keep values comparable from one training step
// to the next, and they suit the toy sets in [-4, 4]². The figure is near
// 0 when samples and data come from one distribution, within ±0.005 for
// two draws of 1,000 points from one toy set in the tests, and grows as
// they differ. It can be slightly negative. It costs one exponential per
// pair of points: 1,024 against 1,024 points is about 2·10⁶ pairs.
//
// # Images: a small classifier
//
// For labelled image sets, TrainClassifier trains a multilayer perceptron
// with one hidden layer of 128 ReLU units on the training set, then stores
// the mean and covariance of its hidden features on the test set. Inputs
// are mapped from [Lo, Hi] to [0, 1]. Training uses Adam (Kingma and Ba,
// ICLR 2015) with a cosine-decayed step size and random translations of up
// to one pixel. Every mini-batch of 64 images also gets 8 synthetic
// non-images (uniform noise, Gaussian noise around a grey level, coarse
// blobs) whose target is the uniform distribution over the classes. This
// is outlier exposure (Hendrycks et al., ICLR 2019). Without it the
// network's confidence on noise is arbitrary and Recognisable means
// nothing for early samples.
//
// Score then reports three numbers for a batch of n samples:
//
//   - Recognisable: the fraction of samples whose top class probability is
//     at least 0.9. For MNIST test digits it is 0.91 to 0.95, and for
//     uniform noise 0.
//   - Frechet: the squared Fréchet distance between Gaussians fitted to the
//     hidden features of the samples and of the test set, computed like FID
//     (Heusel et al., NeurIPS 2017) but on this classifier's 128 features
//     rather than Inception's. It is biased upward for small n, so compare
//     values at equal n. With n = 128 on MNIST, test digits score 16 to
//     19 and uniform noise 270 to 310. Inputs that the network rejects as
//     non-images switch most features off, so the value levels off there
//     rather than growing with the amount of noise.
//   - ClassEntropy: the entropy in nats of the histogram of predicted
//     classes, log 10 ≈ 2.30 when all ten classes appear equally often and
//     0 when every sample gets the same class. Rejected noise also gets a
//     single class, so read it together with Recognisable.
//
// NOTE: On Fashion-MNIST the classifier reaches only about 87% test
// accuracy, and only about 60% of real test images reach probability 0.9,
// so Recognisable is lower there than on MNIST even for real images.
// Frechet separates real images from noise on both sets.
//
// The ranges above come from seeds 1 to 7 on MNIST and 1 to 2 on
// Fashion-MNIST with the embedded and packaged data.
//
// # Conventions
//
// Samples are float32 slices in the NCHW layout of package dataset. Shape
// mistakes by the caller panic with a "quality:" prefix, and unusable
// datasets give errors. A Classifier is immutable after training, so Score
// is safe for concurrent use. Randomness comes only from the *rand.Rand
// passed to TrainClassifier, so a seed fixes the classifier.
package quality
