package dataset

import (
	"errors"
	"fmt"
)

// Errors wrapped by ParseError, for use with errors.Is.
var (
	ErrInvalidNumber = errors.New("invalid number")
	ErrNotFinite     = errors.New("value is not finite")
	ErrColumnCount   = errors.New("wrong number of columns")
	ErrLineTooLong   = errors.New("line too long")
	ErrRecordSize    = errors.New("incomplete record")
	ErrLabelRange    = errors.New("label out of range")
	ErrNoData        = errors.New("no data")
)

// ParseError reports a malformed CSV or CIFAR-10 file.
type ParseError struct {
	Format string // "CSV" or "CIFAR-10"
	File   string // file name when known, else empty
	Line   int    // CSV line number, from 1; 0 when the error concerns no single line
	Record int    // CIFAR-10 record number, from 1; 0 when the error concerns no single record
	Err    error  // one of ErrInvalidNumber, ErrNotFinite, ErrColumnCount, ErrLineTooLong, ErrRecordSize, ErrLabelRange, ErrNoData
	Detail string // the values involved and, where one exists, the fix
}

func (e *ParseError) Error() string {
	where := e.Format + " file"
	if e.File != "" {
		where += " " + e.File
	}
	switch {
	case e.Line > 0:
		where += fmt.Sprintf(" at line %d", e.Line)
	case e.Record > 0:
		where += fmt.Sprintf(" at record %d", e.Record)
	}
	return fmt.Sprintf("dataset: invalid %s: %v: %s", where, e.Err, e.Detail)
}

func (e *ParseError) Unwrap() error { return e.Err }
