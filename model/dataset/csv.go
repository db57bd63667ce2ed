package dataset

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

const (
	// maxLineBytes is the longest CSV line that ReadPointsCSV accepts. An
	// x,y pair needs fewer than 100 bytes, so a longer line means the file
	// is not a point list.
	maxLineBytes = 64 << 10

	// pointMargin is the share of the span of the points that Lo and Hi
	// add on each side.
	pointMargin = 0.1
)

// ReadPointsCSV reads 2-D points from a text file with one point per line.
// A line contains x and y separated by a comma, or by spaces or tabs when it
// has no comma. A '#' starts a comment that runs to the end of the line,
// and blank lines are skipped. The first line that is not blank or a
// comment is a header, and is skipped, when none of its fields is a
// number. Fields may be surrounded by spaces and by double quotes.
//
// The result has C = 2, H = W = 1, no labels, an empty Name, and Lo, Hi
// spanning the points' smallest and largest coordinate, over both axes,
// with a margin of 10% of that span on each side, or of 1 when the span
// is 0 (or the next float32 value, where 1 is below float32 precision).
// The data then fills the middle 5/6 of the square [Lo, Hi]².
//
// A malformed line, a NaN or infinite value, a value beyond the float32
// range, or a file without points gives a *ParseError that names the
// line. A failing reader gives its error wrapped with %w. Errors name the
// file of a reader that has a Name method, such as *os.File.
func ReadPointsCSV(r io.Reader) (*Dataset, error) {
	d, _, err := readPointsCSV(r, fileName(r), 0)
	return d, err
}

// readPointsCSV is ReadPointsCSV with the file name used in errors, which
// keeps only the first limit points when limit > 0 and then reports
// whether more followed, without checking the rest of the file.
func readPointsCSV(r io.Reader, file string, limit int) (d *Dataset, more bool, err error) {
	d = &Dataset{C: 2, H: 1, W: 1}
	br := bufio.NewReaderSize(r, maxLineBytes)
	headerAllowed := true
	parseError := func(line int, err error, detail string) *ParseError {
		return &ParseError{Format: "CSV", File: file, Line: line, Err: err, Detail: detail}
	}

	for line := 1; ; line++ {
		text, err := br.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			return nil, false, parseError(line, ErrLineTooLong, fmt.Sprintf("longer than %d bytes: want one x,y pair per line; is this a CSV file of points?", maxLineBytes))
		case err != nil && !errors.Is(err, io.EOF):
			return nil, false, fmt.Errorf("dataset: reading CSV file %s at line %d: %w", file, line, err)
		}
		if line == 1 {
			text = bytes.TrimPrefix(text, []byte("\ufeff"))
		}
		fields := splitFields(text)

		if len(fields) > 0 {
			if len(fields) != 2 {
				return nil, false, parseError(line, ErrColumnCount, fmt.Sprintf("%d columns %q, want 2 (x,y): remove extra columns, such as the index column that pandas writes", len(fields), fields))
			}
			if headerAllowed && !isNumber(fields[0]) && !isNumber(fields[1]) {
				headerAllowed = false
				continue
			}
			headerAllowed = false
			if limit > 0 && d.Len() == limit {
				return withPointRange(d), true, nil
			}
			for column, field := range fields {
				v, err := parsePointValue(field)
				if err != nil {
					return nil, false, parseError(line, err, fmt.Sprintf("column %d is %q, %s", column+1, field, fixFor(err)))
				}
				d.X = append(d.X, v)
			}
		}

		if err != nil { // io.EOF after the last line
			break
		}
	}

	if d.Len() == 0 {
		return nil, false, parseError(0, ErrNoData, "the file has no points: want one x,y pair per line, such as 0.5,-1.25")
	}
	return withPointRange(d), false, nil
}

// splitFields removes the comment and the line end from a line and
// returns its fields, split at commas or, without a comma, at runs of
// spaces and tabs. A blank or comment line has no fields.
func splitFields(line []byte) []string {
	text, _, _ := strings.Cut(string(line), "#")
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	var fields []string
	if strings.Contains(text, ",") {
		fields = strings.Split(text, ",")
	} else {
		fields = strings.Fields(text)
	}
	for i, field := range fields {
		field = strings.TrimSpace(field)
		if len(field) >= 2 && field[0] == '"' && field[len(field)-1] == '"' {
			field = strings.TrimSpace(field[1 : len(field)-1])
		}
		fields[i] = field
	}
	return fields
}

// isNumber reports whether field parses as a float, including NaN, Inf
// and values out of range, so that such a first line is not taken for a
// header.
func isNumber(field string) bool {
	_, err := strconv.ParseFloat(field, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

// parsePointValue parses a finite float32.
func parsePointValue(field string) (float32, error) {
	v, err := strconv.ParseFloat(field, 32)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, ErrNotFinite
	case err != nil:
		return 0, ErrInvalidNumber
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, ErrNotFinite
	}
	return float32(v), nil
}

// fixFor returns the second half of the message about a field that
// parsePointValue rejected.
func fixFor(err error) string {
	if errors.Is(err, ErrNotFinite) {
		return "want a finite number within ±3.4e38: remove the point or replace the value"
	}
	return "want a decimal number such as -1.5"
}

// withPointRange sets Lo and Hi of a non-empty point set and returns it.
func withPointRange(d *Dataset) *Dataset {
	lo, hi := d.X[0], d.X[0]
	for _, v := range d.X {
		lo, hi = min(lo, v), max(hi, v)
	}
	// The span is computed in float64 because hi − lo can overflow
	// float32 for points near ±3.4e38.
	span := float64(hi) - float64(lo)
	margin := pointMargin * span
	if span == 0 {
		margin = 1
	}
	d.Lo = float32(math.Max(float64(lo)-margin, -math.MaxFloat32))
	d.Hi = float32(math.Min(float64(hi)+margin, math.MaxFloat32))
	// Near ±3.4e38 a margin of 1 rounds away in float32.
	if !(d.Lo < d.Hi) {
		d.Lo = max(math.Nextafter32(lo, float32(math.Inf(-1))), -math.MaxFloat32)
		d.Hi = min(math.Nextafter32(hi, float32(math.Inf(1))), math.MaxFloat32)
	}
	return d
}

// openPointsCSV reads a CSV file of points.
func openPointsCSV(ctx context.Context, path string, size int64, progress func(done, total int), limit int) (*Dataset, *LimitError, error) {
	count := &byteCount{total: size}
	f, r, err := openTracked(ctx, path, count, progress)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()

	d, more, err := readPointsCSV(r, path, limit)
	if err != nil {
		return nil, nil, cancelled(ctx, path, err)
	}
	progress(int(count.total), int(count.total))
	if more {
		return d, &LimitError{Path: path, Kind: "points", Kept: limit, Rule: fmt.Sprintf("the first %d", limit)}, nil
	}
	return d, nil, nil
}
