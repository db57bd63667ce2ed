// Package cli implements EBM Lab's headless commands. train runs seeded,
// reproducible training and writes metrics, a run configuration, a sample
// picture and a checkpoint. energy scores image files with a checkpoint,
// or with --ood compares held-out data against out-of-distribution sets.
//
// Every user mistake (an unknown flag or name, a value out of range, an
// unreadable path) ends the command with exit status 2 and one message
// that names the value and the fix. Failures while working exit with 1.
package cli
