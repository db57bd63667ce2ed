package imagein

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pngHeader returns a PNG signature and a valid IHDR chunk declaring a
// w×h 8-bit grey image, with no pixel data.
func pngHeader(w, h uint32) []byte {
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8] = 8 // bit depth; colour type 0 (grey), default compression, filter and interlace

	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr[:]...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

// bmpWithDepth returns a valid 24-bit BMP whose header is patched to
// declare bitsPerPixel.
func bmpWithDepth(t *testing.T, bitsPerPixel uint16) []byte {
	data := encode(t, "bmp", toRGBA(quadrants(4)))
	binary.LittleEndian.PutUint16(data[28:], bitsPerPixel)
	return data
}

func TestDecodeMalformed(t *testing.T) {
	validPNG := encode(t, "png", toRGBA(quadrants(16)))
	validJPEG := encode(t, "jpeg", toRGBA(quadrants(16)))
	random := make([]byte, 300)
	rnd := rand.New(rand.NewPCG(1, 1))
	for i := range random {
		random[i] = byte(rnd.Uint32())
	}

	for _, tc := range []struct {
		name     string
		file     string
		data     []byte
		opts     Options
		want     error
		contains []string // substrings the message must contain
	}{
		{"empty", "empty.png", nil, Options{}, ErrEmpty,
			[]string{"empty.png: file is empty", "choose a file"}},
		{"random bytes", "noise.png", random, Options{}, ErrUnknownFormat,
			[]string{"noise.png", "matches none of the supported formats", "despite its .png extension", "PNG, JPEG, GIF, BMP, TIFF or WebP"}},
		{"text named jpg", "notes.jpg", []byte("shopping list:\n- milk\n- eggs\n"), Options{}, ErrUnknownFormat,
			[]string{"notes.jpg", "contains text, not image data", "despite its .jpg extension", "use a PNG"}},
		{"truncated PNG", "cut.png", validPNG[:len(validPNG)/2], Options{}, ErrCorrupt,
			[]string{"cut.png: corrupt or truncated image data", "save it again"}},
		{"truncated JPEG", "cut.jpg", validJPEG[:len(validJPEG)/2], Options{}, ErrCorrupt,
			[]string{"cut.jpg: corrupt or truncated image data"}},
		{"JPEG header only", "header.jpg", validJPEG[:20], Options{}, ErrCorrupt,
			[]string{"header.jpg", "JPEG data ends early"}},
		{"huge declared size", "bomb.png", pngHeader(100000, 100000), Options{}, ErrTooManyPixels,
			[]string{"bomb.png", "100000×100000 = 10000000000 pixels", "limit of 40000000", "downscale"}},
		{"over custom pixel limit", "big.png", validPNG, Options{MaxPixels: 255}, ErrTooManyPixels,
			[]string{"16×16 = 256 pixels, over the limit of 255"}},
		{"over byte limit", "big.png", validPNG, Options{MaxBytes: 64}, ErrTooLarge,
			[]string{"big.png: file is too large", "more than 64 bytes"}},
		{"zero-size GIF", "empty.gif", []byte("GIF89a\x00\x00\x00\x00\x00\x00\x00"), Options{}, ErrCorrupt,
			[]string{"empty.gif", "declares an empty size 0×0"}},
		{"16-bit BMP", "old.bmp", bmpWithDepth(t, 16), Options{}, ErrUnsupported,
			[]string{"old.bmp: uses an image feature that is not supported", "plain PNG or JPEG"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Decode(bytes.NewReader(tc.data), tc.file, mnist, tc.opts)
			if res != nil {
				t.Errorf("Decode returned a result with error %v", err)
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("Decode error = %v, want %v", err, tc.want)
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Decode error %T is not a *FileError", err)
			}
			if fe.Fix == "" {
				t.Errorf("error %q gives no fix", err)
			}
			for _, s := range tc.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestDecodeFileErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	empty := writeFile("empty.png", nil)
	large := writeFile("large.png", encode(t, "png", toRGBA(quadrants(16))))
	text := writeFile("readme.jpg", []byte("not a picture"))

	for _, tc := range []struct {
		name     string
		path     string
		opts     Options
		want     error
		contains []string
	}{
		{"directory", dir, Options{}, ErrIsDir, []string{dir + ": is a folder, not an image file", "choose the image files inside it"}},
		{"missing", filepath.Join(dir, "gone.png"), Options{}, ErrNotFound, []string{"gone.png: file not found", "check the path"}},
		{"empty", empty, Options{}, ErrEmpty, []string{"empty.png: file is empty"}},
		{"too large", large, Options{MaxBytes: 10}, ErrTooLarge, []string{"large.png: file is too large", "over the limit of 10 bytes"}},
		{"text named jpg", text, Options{}, ErrUnknownFormat, []string{"readme.jpg", "contains text"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeFile(tc.path, mnist, tc.opts)
			if !errors.Is(err, tc.want) {
				t.Fatalf("DecodeFile error = %v, want %v", err, tc.want)
			}
			for _, s := range tc.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestDecodeFilePermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files regardless of their permission bits")
	}
	path := filepath.Join(t.TempDir(), "secret.png")
	if err := os.WriteFile(path, encode(t, "png", quadrants(4)), 0o000); err != nil {
		t.Fatal(err)
	}
	_, err := DecodeFile(path, mnist, Options{})
	if !errors.Is(err, ErrUnreadable) || !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("DecodeFile error = %v, want ErrUnreadable wrapping fs.ErrPermission", err)
	}
}

func TestOpenErrorClassification(t *testing.T) {
	for _, tc := range []struct {
		name     string
		err      error
		want     error
		contains string
	}{
		{"permission", &fs.PathError{Op: "open", Path: "x.png", Err: fs.ErrPermission}, ErrUnreadable, "x.png: cannot read the file (permission denied); check the file's permissions"},
		{"not exist", &fs.PathError{Op: "open", Path: "x.png", Err: fs.ErrNotExist}, ErrNotFound, "x.png: file not found"},
		{"other", errors.New("input/output error"), ErrUnreadable, "x.png: cannot read the file (input/output error)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := openError("x.png", tc.err)
			if !errors.Is(err, tc.want) {
				t.Errorf("openError kind = %v, want %v", err.Kind, tc.want)
			}
			if !errors.Is(err, tc.err) {
				t.Errorf("openError does not wrap %v", tc.err)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("message %q does not contain %q", err, tc.contains)
			}
		})
	}
}

func TestDecodeExtensionMismatch(t *testing.T) {
	data := encode(t, "png", toRGBA(quadrants(16)))
	for _, tc := range []struct {
		name string
		file string
		want string // expected first step, empty when none
	}{
		{"jpg holding PNG", "photo.jpg", "extension .jpg does not match the content, decoded as PNG"},
		{"upper-case extension", "PHOTO.TIFF", "extension .tiff does not match the content, decoded as PNG"},
		{"matching", "photo.PNG", ""},
		{"no extension", "clipboard", ""},
		{"unknown extension", "photo.dat", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := decodeBytes(t, data, tc.file, mnist, Options{})
			if res.Format != "png" {
				t.Errorf("Format = %q, want png", res.Format)
			}
			mismatch := strings.HasPrefix(res.Steps[0], "extension")
			if tc.want == "" && mismatch {
				t.Errorf("unexpected mismatch step %q", res.Steps[0])
			}
			if tc.want != "" && res.Steps[0] != tc.want {
				t.Errorf("Steps[0] = %q, want %q", res.Steps[0], tc.want)
			}
		})
	}
}

func TestDecodeFileResult(t *testing.T) {
	path := filepath.Join(t.TempDir(), "digit.png")
	if err := os.WriteFile(path, encode(t, "png", toRGBA(quadrants(28))), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := DecodeFile(path, mnist, Options{Invert: Keep})
	if err != nil {
		t.Fatalf("DecodeFile: %v", err)
	}
	if res.Path != path {
		t.Errorf("Path = %q, want %q", res.Path, path)
	}
	if got, want := res.Original.Bounds(), image.Rect(0, 0, 28, 28); got != want {
		t.Errorf("Original bounds = %v, want %v", got, want)
	}
	if len(res.Input) != 28*28 {
		t.Errorf("len(Input) = %d, want %d", len(res.Input), 28*28)
	}
}

func TestInvalidTargetPanics(t *testing.T) {
	for _, tc := range []struct {
		name   string
		target Target
		opts   Options
	}{
		{"two channels", Target{C: 2, H: 4, W: 4, Lo: 0, Hi: 1}, Options{}},
		{"zero height", Target{C: 1, H: 0, W: 4, Lo: 0, Hi: 1}, Options{}},
		{"empty range", Target{C: 1, H: 4, W: 4, Lo: 1, Hi: 1, Background: 1}, Options{}},
		{"background outside range", Target{C: 1, H: 4, W: 4, Lo: 0, Hi: 1, Background: 2}, Options{}},
		{"unknown resize", mnist, Options{Resize: 7}},
		{"unknown polarity", mnist, Options{Invert: -1}},
		{"negative byte limit", mnist, Options{MaxBytes: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				p := recover()
				if p == nil {
					t.Fatal("Decode did not panic")
				}
				if msg, ok := p.(string); !ok || !strings.HasPrefix(msg, "imagein: ") {
					t.Errorf("panic value %v lacks the imagein: prefix", p)
				}
			}()
			Decode(bytes.NewReader(nil), "x.png", tc.target, tc.opts)
		})
	}
}
