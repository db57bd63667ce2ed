package imagein

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // registers the GIF decoder with image.Decode
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	_ "golang.org/x/image/webp" // registers the WebP decoder with image.Decode
)

// Default limits used when the Options fields are zero.
const (
	DefaultMaxPixels = 40_000_000 // declared width × height
	DefaultMaxBytes  = 64 << 20   // file size in bytes (64 MiB)
)

// Target describes the model input: its shape, its value range and the
// value that empty areas have in the training data.
type Target struct {
	C, H, W    int     // channels (1 for grey, 3 for RGB), height and width in pixels
	Lo, Hi     float32 // model value range; intensity 0 maps to Lo and 1 to Hi
	Background float32 // value of empty areas in the data (MNIST: Lo, black); used for transparency and padding
}

// Resize selects how an image of another size or aspect ratio is fitted to
// Target.H×Target.W.
type Resize int

const (
	FitStretch    Resize = iota // scale width and height independently to fill the target
	KeepAspectPad               // scale to fit inside the target and pad the rest with Target.Background
	CenterCrop                  // crop the largest centred region with the target's aspect ratio, then scale
)

// String returns a short English name for the mode.
func (r Resize) String() string {
	switch r {
	case FitStretch:
		return "stretch"
	case KeepAspectPad:
		return "keep aspect, pad"
	case CenterCrop:
		return "centre crop"
	}
	return fmt.Sprintf("Resize(%d)", int(r))
}

// Polarity selects whether the image's colours are inverted.
type Polarity int

const (
	Auto   Polarity = iota // invert when the image's background differs from the data's background
	Keep                   // never invert
	Invert                 // always invert
)

// String returns a short English name for the polarity.
func (p Polarity) String() string {
	switch p {
	case Auto:
		return "auto"
	case Keep:
		return "keep"
	case Invert:
		return "invert"
	}
	return fmt.Sprintf("Polarity(%d)", int(p))
}

// Options control the conversion and the limits that protect against
// oversized files.
type Options struct {
	Resize    Resize
	Invert    Polarity
	MaxPixels int   // maximum declared width × height; 0 means DefaultMaxPixels
	MaxBytes  int64 // maximum file size in bytes; 0 means DefaultMaxBytes
}

// Result is a decoded image, the model input made from it and an account
// of the conversion.
type Result struct {
	Path       string      // path or name as passed to DecodeFile or Decode
	Original   image.Image // decoded image (the first frame of a GIF or TIFF; lossy WebP converted to RGB)
	Input      []float32   // C·H·W values in [Lo, Hi], NCHW order
	Format     string      // "png", "jpeg", "gif", "bmp", "tiff" or "webp", detected from the content
	Steps      []string    // conversion steps in words, for display
	Suggestion string      // a setting worth trying, such as "…; try Invert"; empty when none
}

// formatByExtension maps lower-case file extensions to the format names
// that image.Decode reports.
var formatByExtension = map[string]string{
	".png":  "png",
	".jpg":  "jpeg",
	".jpeg": "jpeg",
	".jpe":  "jpeg",
	".gif":  "gif",
	".bmp":  "bmp",
	".tif":  "tiff",
	".tiff": "tiff",
	".webp": "webp",
}

// displayFormat returns the conventional spelling of a format name.
func displayFormat(format string) string {
	if format == "webp" {
		return "WebP"
	}
	return strings.ToUpper(format)
}

// DecodeFile reads the image file at path and converts it into t's shape
// and range. The file's size and type are checked before it is read.
func DecodeFile(path string, t Target, o Options) (*Result, error) {
	t.validate()
	o = o.withDefaults()

	f, err := os.Open(path)
	if err != nil {
		return nil, openError(path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, openError(path, err)
	}
	switch {
	case info.IsDir():
		return nil, &FileError{Name: path, Kind: ErrIsDir, Fix: "choose the image files inside it"}
	case !info.Mode().IsRegular():
		return nil, &FileError{Name: path, Kind: ErrUnreadable,
			Detail: fmt.Sprintf("not a regular file (mode %v)", info.Mode().Type()),
			Fix:    "choose an image file"}
	case info.Size() == 0:
		return nil, &FileError{Name: path, Kind: ErrEmpty, Fix: "choose a file that contains an image"}
	case info.Size() > o.MaxBytes:
		return nil, tooLargeError(path, info.Size(), o.MaxBytes)
	}

	return decode(f, path, t, o)
}

// Decode reads an image from r and converts it into t's shape and range.
// name is used only in Result.Path, in messages and to compare the
// extension with the content; it need not exist on disk.
func Decode(r io.Reader, name string, t Target, o Options) (*Result, error) {
	t.validate()
	o = o.withDefaults()
	return decode(r, name, t, o)
}

func decode(r io.Reader, name string, t Target, o Options) (*Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, o.MaxBytes+1))
	if err != nil {
		return nil, &FileError{Name: name, Kind: ErrUnreadable, Detail: err.Error(),
			Fix: "check that the file is accessible and try again", Err: fmt.Errorf("read %s: %w", name, err)}
	}
	switch {
	case len(data) == 0:
		return nil, &FileError{Name: name, Kind: ErrEmpty, Fix: "choose a file that contains an image"}
	case int64(len(data)) > o.MaxBytes:
		return nil, overLimitError(name, o.MaxBytes)
	}

	img, format, err := decodeImage(data, name, int64(o.MaxPixels))
	if err != nil {
		return nil, err
	}

	res := &Result{Path: name, Original: img, Format: format}
	ext := strings.ToLower(filepath.Ext(name))
	if want, ok := formatByExtension[ext]; ok && want != format {
		res.Steps = append(res.Steps, fmt.Sprintf("extension %s does not match the content, decoded as %s", ext, displayFormat(format)))
	}
	if format == "gif" {
		res.Steps = append(res.Steps, "used the first GIF frame")
	}
	if format == "webp" {
		if rgb := expandStudioRange(img); rgb != nil {
			res.Original = rgb
			res.Steps = append(res.Steps, "lossy WebP: studio-range BT.601 YCbCr (Y' 16–235) expanded to full-range RGB")
		}
	}
	res.Input = make([]float32, t.C*t.H*t.W)
	res.Steps, res.Suggestion = convert(res.Input, res.Original, t, o, res.Steps)
	return res, nil
}

// decodeImage checks the declared size against maxPixels and then decodes
// the pixels.
func decodeImage(data []byte, name string, maxPixels int64) (img image.Image, format string, err error) {
	// Third-party decoders see untrusted bytes; a panic in one of them is
	// reported as corrupt data rather than ending the program.
	defer func() {
		if p := recover(); p != nil {
			decoder := displayFormat(format)
			if decoder == "" {
				decoder = "image"
			}
			img = nil
			err = &FileError{Name: name, Kind: ErrCorrupt, Detail: fmt.Sprintf("the %s decoder failed: %v", decoder, p),
				Fix: "open the file in an image editor and save it again, or use another copy"}
		}
	}()

	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if errors.Is(err, image.ErrFormat) {
		return nil, "", unknownFormatError(name, data)
	}
	if err != nil {
		return nil, format, decoderError(name, format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, format, &FileError{Name: name, Kind: ErrCorrupt,
			Detail: fmt.Sprintf("the %s header declares an empty size %d×%d", displayFormat(format), cfg.Width, cfg.Height),
			Fix:    "open the file in an image editor and save it again, or use another copy"}
	}
	if pixels := int64(cfg.Width) * int64(cfg.Height); pixels > maxPixels {
		return nil, format, &FileError{Name: name, Kind: ErrTooManyPixels,
			Detail: fmt.Sprintf("the header declares %d×%d = %d pixels, over the limit of %d", cfg.Width, cfg.Height, pixels, maxPixels),
			Fix:    "downscale the image first"}
	}

	img, format, err = image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, format, decoderError(name, format, err)
	}
	if img.Bounds().Empty() {
		return nil, format, &FileError{Name: name, Kind: ErrCorrupt,
			Detail: fmt.Sprintf("the %s decoder returned an empty image", displayFormat(format)),
			Fix:    "open the file in an image editor and save it again, or use another copy"}
	}
	return img, format, nil
}

// decoderError classifies an error from a registered decoder.
func decoderError(name, format string, err error) *FileError {
	var (
		pngUnsupported  png.UnsupportedError
		jpegUnsupported jpeg.UnsupportedError
		tiffUnsupported tiff.UnsupportedError
	)
	if errors.As(err, &pngUnsupported) || errors.As(err, &jpegUnsupported) ||
		errors.As(err, &tiffUnsupported) || errors.Is(err, bmp.ErrUnsupported) {
		return &FileError{Name: name, Kind: ErrUnsupported, Detail: err.Error(),
			Fix: "save the image again as a plain PNG or JPEG", Err: err}
	}
	detail := err.Error()
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		detail = fmt.Sprintf("the %s data ends early", displayFormat(format))
	}
	return &FileError{Name: name, Kind: ErrCorrupt, Detail: detail,
		Fix: "open the file in an image editor and save it again, or use another copy", Err: err}
}

// unknownFormatError describes content that no registered decoder
// recognises, telling text apart from other data.
func unknownFormatError(name string, data []byte) *FileError {
	detail := "the content matches none of the supported formats"
	if looksLikeText(data) {
		detail = "the file contains text, not image data"
	}
	if ext := strings.ToLower(filepath.Ext(name)); formatByExtension[ext] != "" {
		detail += ", despite its " + ext + " extension"
	}
	return &FileError{Name: name, Kind: ErrUnknownFormat, Detail: detail,
		Fix: "use a " + supportedFormats + " file", Err: image.ErrFormat}
}

// looksLikeText reports whether the first 512 bytes are UTF-8 text without
// control characters other than white space.
func looksLikeText(data []byte) bool {
	head := data[:min(len(data), 512)]
	for len(head) > 0 {
		r, size := utf8.DecodeRune(head)
		if r == utf8.RuneError && size == 1 {
			// A multi-byte character cut at the 512-byte boundary is still text.
			return len(head) < utf8.UTFMax && len(data) > 512
		}
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return false
		}
		head = head[size:]
	}
	return true
}

// validate panics when t cannot describe a model input.
func (t Target) validate() {
	switch {
	case t.C != 1 && t.C != 3:
		panic(fmt.Sprintf("imagein: Target.C is %d, want 1 or 3", t.C))
	case t.H < 1 || t.W < 1:
		panic(fmt.Sprintf("imagein: Target size %d×%d, want at least 1×1", t.H, t.W))
	case !isFinite(t.Lo) || !isFinite(t.Hi) || !(t.Lo < t.Hi):
		panic(fmt.Sprintf("imagein: Target range [%v, %v], want finite Lo < Hi", t.Lo, t.Hi))
	case !(t.Background >= t.Lo && t.Background <= t.Hi):
		panic(fmt.Sprintf("imagein: Target.Background %v outside [%v, %v]", t.Background, t.Lo, t.Hi))
	}
}

func isFinite(v float32) bool {
	return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0)
}

// withDefaults panics on invalid options and fills in the default limits.
func (o Options) withDefaults() Options {
	switch {
	case o.Resize < FitStretch || o.Resize > CenterCrop:
		panic(fmt.Sprintf("imagein: unknown %v", o.Resize))
	case o.Invert < Auto || o.Invert > Invert:
		panic(fmt.Sprintf("imagein: unknown %v", o.Invert))
	case o.MaxPixels < 0:
		panic(fmt.Sprintf("imagein: Options.MaxPixels is %d, want ≥ 0", o.MaxPixels))
	case o.MaxBytes < 0:
		panic(fmt.Sprintf("imagein: Options.MaxBytes is %d, want ≥ 0", o.MaxBytes))
	}
	if o.MaxPixels == 0 {
		o.MaxPixels = DefaultMaxPixels
	}
	if o.MaxBytes == 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	return o
}
