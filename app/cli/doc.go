// Package cli implements EBM Lab's headless commands: train runs a
// seeded training session and writes metrics, a sample picture and a
// checkpoint; energy scores image files with a checkpoint.
//
// Every user mistake (an unknown flag or name, a value out of range, an
// unreadable path) ends the command with exit status 2 and one message
// that names the value and the fix. Failures while working exit with 1.
package cli
