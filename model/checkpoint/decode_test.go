package checkpoint

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

// Offsets in the file that smallFile encodes to.
const (
	offVersion   = 8
	offMetaLen   = 12
	offMeta      = 20 // 7 bytes of JSON
	offCount     = 27
	offNameLen0  = 31
	offName0     = 33
	offType0     = 34
	offRank0     = 35
	offDims0     = 36 // 2 dimensions
	offData0     = 52 // 4 float32 elements
	offNameLen1  = 68
	offName1     = 70
	offType1     = 71
	offRank1     = 72
	offDims1     = 73 // 1 dimension
	offData1     = 81 // 1 int64 element
	offChecksum  = 89
	smallFileLen = 121
)

func smallFile() *File {
	return &File{
		Meta: json.RawMessage(`{"a":1}`),
		Tensors: []Tensor{
			{Name: "w", Shape: []int{2, 2}, Data: []float32{1, -2, 0.5, 3}},
			{Name: "n", Shape: []int{1}, Ints: []int64{7}},
		},
	}
}

func smallEncoded(t testing.TB) []byte {
	t.Helper()
	b := encode(t, smallFile())
	if len(b) != smallFileLen {
		t.Fatalf("small file has %d bytes, the offsets assume %d", len(b), smallFileLen)
	}
	return b
}

// fixChecksum rewrites the trailer of b so that only the damage to the
// fields is left for Decode to find.
func fixChecksum(b []byte) []byte {
	sum := sha256.Sum256(b[:len(b)-checksumSize])
	copy(b[len(b)-checksumSize:], sum[:])
	return b
}

// readers returns the ways a test feeds b to Decode: with a known size, and
// with the size hidden so Decode grows its buffers as data arrives.
func readers(b []byte) map[string]func() io.Reader {
	return map[string]func() io.Reader{
		"known size":   func() io.Reader { return bytes.NewReader(b) },
		"unknown size": func() io.Reader { return struct{ io.Reader }{bytes.NewReader(b)} },
	}
}

func TestDecodeDamaged(t *testing.T) {
	putU16 := func(off int, v uint16) func([]byte) []byte {
		return func(b []byte) []byte { binary.LittleEndian.PutUint16(b[off:], v); return b }
	}
	putU32 := func(off int, v uint32) func([]byte) []byte {
		return func(b []byte) []byte { binary.LittleEndian.PutUint32(b[off:], v); return b }
	}
	putU64 := func(off int, v uint64) func([]byte) []byte {
		return func(b []byte) []byte { binary.LittleEndian.PutUint64(b[off:], v); return b }
	}
	putByte := func(off int, v byte) func([]byte) []byte {
		return func(b []byte) []byte { b[off] = v; return b }
	}
	fixed := func(damage func([]byte) []byte) func([]byte) []byte {
		return func(b []byte) []byte { return fixChecksum(damage(b)) }
	}

	// Without a known size, Decode cannot tell this damage apart from the
	// checksum bytes that follow, so it may report any format error.
	knownSizeOnly := map[string]bool{"tensor count too high": true}

	for _, test := range []struct {
		name   string
		damage func([]byte) []byte
		want   error
		msg    string // a part of the error message
	}{
		{"empty input", func([]byte) []byte { return nil }, ErrTruncated, "the input ends after 0 bytes"},
		{"PNG file", func([]byte) []byte { return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") }, ErrNotCheckpoint, "choose a file saved by EBM Lab"},
		{"text file", func([]byte) []byte { return []byte("step_size = 10\n") }, ErrNotCheckpoint, `found "step_siz"`},
		{"magic only", func(b []byte) []byte { return b[:8] }, ErrTruncated, "format version"},
		{"newer version", putU32(offVersion, 2), ErrVersion, "written by a newer EBM Lab (format 2); this version reads format 1; upgrade EBM Lab"},
		{"version 0", putU32(offVersion, 0), ErrVersion, "format 0 does not exist; the file is damaged; load an earlier checkpoint"},
		{"metadata length beyond limit", putU64(offMetaLen, 1<<40), ErrCorrupt, "1099511627776 bytes, more than the limit"},
		{"metadata length claiming megabytes", putU64(offMetaLen, 60<<20), ErrTruncated, "metadata"},
		{"invalid JSON", fixed(putByte(offMeta+6, 'x')), ErrCorrupt, "metadata at byte 20: not valid JSON"},
		{"tensor count beyond limit", putU32(offCount, MaxTensors+1), ErrCorrupt, "4097 tensors"},
		{"tensor count too high", putU32(offCount, 3), ErrTruncated, "tensor 2 name"},
		{"tensor count too low", putU32(offCount, 1), ErrChecksum, "stored SHA-256"},
		{"empty name", putU16(offNameLen0, 0), ErrCorrupt, "length 0, expected 1 to 256"},
		{"name length beyond limit", putU16(offNameLen0, 60000), ErrCorrupt, "length 60000"},
		{"invalid UTF-8 name", fixed(putByte(offName0, 0xff)), ErrCorrupt, "not valid UTF-8"},
		{"duplicate name", fixed(putByte(offName1, 'w')), ErrCorrupt, `"w" is used twice`},
		{"unknown element type", putByte(offType0, 3), ErrCorrupt, `tensor "w" element type at byte 34: 3, expected 1 (float32) or 2 (int64)`},
		{"rank beyond limit", putByte(offRank0, 200), ErrCorrupt, "200, more than the limit of 8"},
		{"dimension beyond limit", putU64(offDims0, 1<<40), ErrCorrupt, "dimension 1099511627776"},
		{"dimensions claiming gigabytes", putU64(offDims0, 1<<29), ErrTruncated, `tensor "w" elements`},
		{"product beyond limit", fixed(func(b []byte) []byte {
			binary.LittleEndian.PutUint64(b[offDims0:], 1<<20)
			binary.LittleEndian.PutUint64(b[offDims0+8:], 1<<20)
			return b
		}), ErrCorrupt, "more than 2147483647 elements"},
		{"int dimension claiming gigabytes", putU64(offDims1, 1<<28), ErrTruncated, `tensor "n" elements`},
		{"element bit flipped", putByte(offData0+2, 0x55), ErrChecksum, "the file is damaged; load an earlier checkpoint"},
		{"checksum damaged", putByte(offChecksum+31, 0), ErrChecksum, "checksum at byte 89"},
		{"checksum cut short", func(b []byte) []byte { return b[:len(b)-1] }, ErrTruncated, "checksum"},
		{"bytes after the checksum", func(b []byte) []byte { return append(b, 0) }, ErrCorrupt, "unexpected bytes after the checksum"},
		{"file appended twice", func(b []byte) []byte { return append(b, b...) }, ErrCorrupt, "unexpected bytes after the checksum"},
	} {
		t.Run(test.name, func(t *testing.T) {
			damaged := test.damage(smallEncoded(t))
			for readerKind, reader := range readers(damaged) {
				if knownSizeOnly[test.name] && readerKind != "known size" {
					continue
				}
				f, err := Decode(reader())
				if f != nil {
					t.Errorf("%s: Decode returned a File with error %v", readerKind, err)
				}
				if !errors.Is(err, test.want) {
					t.Errorf("%s: error %v, want %v", readerKind, err, test.want)
				}
				var formatErr *FormatError
				if !errors.As(err, &formatErr) {
					t.Errorf("%s: error %v is not a *FormatError", readerKind, err)
				}
				if err != nil && !strings.Contains(err.Error(), test.msg) {
					t.Errorf("%s: error %q does not contain %q", readerKind, err, test.msg)
				}
			}
		})
	}
}

func TestDecodeTruncatedEverywhere(t *testing.T) {
	b := smallEncoded(t)
	for n := range len(b) {
		for readerKind, reader := range readers(b[:n]) {
			f, err := Decode(reader())
			if f != nil || !errors.Is(err, ErrTruncated) {
				t.Errorf("%s, cut at %d bytes: got %v, %v; want nil, ErrTruncated", readerKind, n, f, err)
			}
		}
	}
}

func TestDecodeBitFlips(t *testing.T) {
	original := smallEncoded(t)
	for bit := range 8 * len(original) {
		b := bytes.Clone(original)
		off := bit / 8
		b[off] ^= 1 << (bit % 8)

		f, err := Decode(bytes.NewReader(b))
		if f != nil || err == nil {
			t.Errorf("bit %d flipped: got %v, %v; want an error", bit, f, err)
			continue
		}

		// Damage to a length field can surface as any format error, but
		// these regions must give one kind.
		var want error
		switch {
		case off < offVersion:
			want = ErrNotCheckpoint
		case off < offMetaLen:
			want = ErrVersion
		case off >= offData0 && off < offNameLen1, off >= offData1:
			want = ErrChecksum
		}
		if want != nil && !errors.Is(err, want) {
			t.Errorf("bit %d flipped: error %v, want %v", bit, err, want)
		}
		var formatErr *FormatError
		if !errors.As(err, &formatErr) {
			t.Errorf("bit %d flipped: error %v is not a *FormatError", bit, err)
		}
	}
}

// TestDecodeFalseLengthAllocation checks that a length claiming gigabytes
// in a stream of unknown size costs memory only for the bytes present.
func TestDecodeFalseLengthAllocation(t *testing.T) {
	for _, test := range []struct {
		name string
		off  int
		v    uint64
	}{
		{"metadata", offMetaLen, MaxMetaSize},
		{"float32 elements", offDims0, MaxElements / 2}, // times the second dimension, 2
		{"int64 elements", offDims1, MaxElements},
	} {
		t.Run(test.name, func(t *testing.T) {
			b := smallEncoded(t)
			binary.LittleEndian.PutUint64(b[test.off:], test.v)

			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Decode(struct{ io.Reader }{bytes.NewReader(b)})
			runtime.ReadMemStats(&after)

			if !errors.Is(err, ErrTruncated) {
				t.Errorf("error %v, want ErrTruncated", err)
			}
			const limit = 4 << 20
			if allocated := after.TotalAlloc - before.TotalAlloc; allocated > limit {
				t.Errorf("Decode allocated %d bytes for a %d-byte input, want at most %d", allocated, len(b), limit)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(smallEncoded(f))
	f.Add(encode(f, &File{}))
	f.Add(encode(f, &File{Tensors: []Tensor{{Name: "s", Data: []float32{1}}}}))
	f.Add([]byte(magic))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, b []byte) {
		checkDecode(t, b)

		// Most random inputs fail the checksum, so decode them again with
		// a valid one to reach the checks behind it.
		if len(b) >= checksumSize {
			checkDecode(t, fixChecksum(bytes.Clone(b)))
		}
	})
}

// checkDecode decodes b and requires a format error, or a File that
// encodes back to b.
func checkDecode(t *testing.T, b []byte) {
	file, err := Decode(bytes.NewReader(b))
	if err != nil {
		var formatErr *FormatError
		if file != nil || !errors.As(err, &formatErr) {
			t.Fatalf("got %v, %v; want nil and a *FormatError", file, err)
		}
		return
	}
	var again bytes.Buffer
	if err := Encode(&again, file); err != nil {
		t.Fatalf("Encode of a decoded file: %v", err)
	}
	if !bytes.Equal(again.Bytes(), b) {
		t.Fatalf("re-encoding gives %d different bytes from the %d decoded", again.Len(), len(b))
	}
}
