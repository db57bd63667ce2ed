package checkpoint

import (
	"errors"
	"fmt"
)

// Errors that Decode and Load wrap in a *FormatError. Test for them with
// errors.Is.
var (
	ErrNotCheckpoint = errors.New("not an EBM Lab checkpoint")
	ErrVersion       = errors.New("unsupported format version")
	ErrTruncated     = errors.New("truncated file")
	ErrChecksum      = errors.New("checksum mismatch")
	ErrCorrupt       = errors.New("corrupt file")
)

// Fixes that a FormatError suggests.
const (
	fixDamaged = "the file is damaged; load an earlier checkpoint"
	fixChoose  = "choose a file saved by EBM Lab"
)

// FormatError describes why Decode rejected its input.
type FormatError struct {
	Err    error  // one of ErrNotCheckpoint, ErrVersion, ErrTruncated, ErrChecksum, ErrCorrupt
	Field  string // the field being read, such as `tensor "w1" dimensions`
	Offset int64  // offset of the field from the start of the input, in bytes
	Detail string // expected against found
	Fix    string // suggested action for the user
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("checkpoint: %v: %s at byte %d: %s; %s", e.Err, e.Field, e.Offset, e.Detail, e.Fix)
}

func (e *FormatError) Unwrap() error { return e.Err }
