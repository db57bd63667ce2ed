// Package checkpoint reads and writes EBM Lab checkpoint files: a versioned,
// checksummed container of named tensors and caller-defined JSON metadata.
//
// The package does not depend on networks, samplers or trainers. The
// trainer decides what goes in: typically the preset name and input shape, the
// sampler and trainer settings and the dataset's identity in Meta, and the
// parameters, the optimiser moments, the replay buffer with its ages and the
// metrics history as tensors. Long numeric series belong in tensors, because
// Meta is limited to MaxMetaSize bytes.
//
// # File format, version 1
//
// Header integers are unsigned, int64 elements are two's complement, and
// all are little-endian. Sizes are in bytes.
//
//	size     field
//	8        magic "\x89EBMLAB\n"
//	4        format version, currently 1
//	8        metadata length M, at most MaxMetaSize
//	M        metadata: UTF-8 JSON, or nothing when M = 0
//	4        tensor count T, at most MaxTensors
//	T times:
//	  2      name length N, 1 to MaxNameLen
//	  N      name: UTF-8, unique within the file
//	  1      element type: 1 = float32, 2 = int64
//	  1      rank R, at most MaxRank
//	  8·R    dimensions
//	  s·n    elements in row-major order (the last dimension varies
//	         fastest), n = product of the dimensions (1 for rank 0),
//	         s = 4 for float32 (IEEE 754 bits) and 8 for int64
//	32       SHA-256 of every byte before it
//
// The magic number starts with a byte above 0x7F and ends with a line feed,
// as PNG's does, so a transfer that strips the high bit or rewrites line
// endings breaks it at once. The encoding is canonical: Decode followed by
// Encode reproduces the input byte for byte, NaN payloads included.
//
// # Checksum
//
// The trailer is SHA-256 rather than CRC-32C. CRC-32C is faster and
// catches every error burst of up to 32 bits, but it misses wider damage,
// such as a torn write or a bad sector, with probability 2⁻³². SHA-256
// misses it with probability 2⁻²⁵⁶. The standard library's SHA-256 uses the
// CPU's SHA extensions where present, so hashing costs little next to
// writing and syncing the file (BenchmarkEncode reports the rate).
//
// # Untrusted input
//
// Decode treats its input as untrusted. It checks the magic number and the
// version first, checks every length against the stated limits and, when
// the input size is known, against the bytes that remain, before it
// allocates memory for the field. When the size is unknown, tensor data and
// metadata grow as bytes arrive, so a length that claims gigabytes costs
// no more memory than the bytes actually present. Decode verifies the
// checksum before it returns any value. Errors wrap one of ErrNotCheckpoint,
// ErrVersion, ErrTruncated, ErrChecksum and ErrCorrupt in a *FormatError
// that names the field, its offset and the fix.
//
// # Atomic saves
//
// Save writes a temporary file in the destination's directory, syncs it,
// renames it over the destination and syncs the directory. A crash or kill
// at any moment leaves either the previous file or the new one, complete.
// A process killed during Save can leave its temporary file (named
// ".NAME.tmp-PID-N") behind. WriteAtomic offers the same guarantee for
// other file formats.
package checkpoint
