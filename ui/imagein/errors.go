package imagein

import (
	"errors"
	"fmt"
	"io/fs"
)

// Kinds of failure, reported as FileError.Kind and matched with errors.Is.
var (
	ErrNotFound      = errors.New("file not found")
	ErrIsDir         = errors.New("is a folder, not an image file")
	ErrUnreadable    = errors.New("cannot read the file")
	ErrEmpty         = errors.New("file is empty")
	ErrTooLarge      = errors.New("file is too large")
	ErrTooManyPixels = errors.New("image has too many pixels")
	ErrUnknownFormat = errors.New("not a supported image format")
	ErrUnsupported   = errors.New("uses an image feature that is not supported")
	ErrCorrupt       = errors.New("corrupt or truncated image data")
)

// supportedFormats is the list shown to users when a file is not an image.
const supportedFormats = "PNG, JPEG, GIF, BMP, TIFF or WebP"

// FileError reports why a file could not be turned into a model input.
type FileError struct {
	Name   string // path or name passed to DecodeFile or Decode
	Kind   error  // one of the Err values of this package
	Detail string // specifics such as the declared size or the decoder's message; may be empty
	Fix    string // next step for the user, such as "downscale the image first"
	Err    error  // underlying error from the file system or a decoder; may be nil
}

// Error formats the error as "NAME: reason (detail); fix".
func (e *FileError) Error() string {
	msg := e.Name + ": " + e.Kind.Error()
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	if e.Fix != "" {
		msg += "; " + e.Fix
	}
	return msg
}

// Unwrap returns Kind and, when present, the underlying error, so that
// errors.Is matches both ErrCorrupt and, say, io.ErrUnexpectedEOF.
func (e *FileError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// openError classifies an error from opening or inspecting a file.
func openError(name string, err error) *FileError {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &FileError{Name: name, Kind: ErrNotFound, Fix: "check the path, or whether the file was moved or deleted", Err: err}
	case errors.Is(err, fs.ErrPermission):
		return &FileError{Name: name, Kind: ErrUnreadable, Detail: "permission denied", Fix: "check the file's permissions", Err: err}
	default:
		return &FileError{Name: name, Kind: ErrUnreadable, Detail: err.Error(), Fix: "check that the file is accessible", Err: err}
	}
}

func tooLargeError(name string, size, limit int64) *FileError {
	return &FileError{
		Name:   name,
		Kind:   ErrTooLarge,
		Detail: fmt.Sprintf("%d bytes, over the limit of %d bytes", size, limit),
		Fix:    "downscale or recompress the image first",
	}
}

// overLimitError reports a file larger than limit whose exact size is not
// known because reading stopped at the limit.
func overLimitError(name string, limit int64) *FileError {
	return &FileError{
		Name:   name,
		Kind:   ErrTooLarge,
		Detail: fmt.Sprintf("more than %d bytes", limit),
		Fix:    "downscale or recompress the image first",
	}
}
