package runconfig

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Kinds of Error. Test for them with errors.Is.
var (
	ErrSyntax     = errors.New("invalid TOML")
	ErrUnknownKey = errors.New("unknown key")
	ErrType       = errors.New("wrong type")
	ErrMissingKey = errors.New("missing key")
	ErrEmpty      = errors.New("empty configuration")
)

// Error is a problem in a configuration file.
type Error struct {
	Name   string // file name given to Parse
	Line   int    // 1-based line, or 0 when the error concerns no single line
	Column int    // 1-based column in bytes, or 0 with Line
	Key    string // dotted key, such as "sampler.step_size", or empty
	Err    error  // ErrSyntax, ErrUnknownKey, ErrType, ErrMissingKey or ErrEmpty
	Msg    string // description and fix
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Name, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Column, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// convertError turns an error of the TOML decoder into *Error values.
func convertError(err error, data []byte, name string) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		errs := make([]error, len(strict.Errors))
		for i := range strict.Errors {
			errs[i] = unknownKey(&strict.Errors[i], name)
		}
		return joinErrors(errs)
	}

	var decodeErr *toml.DecodeError
	if !errors.As(err, &decodeErr) {
		return &Error{Name: name, Err: ErrSyntax, Msg: "invalid TOML: " + strings.TrimPrefix(err.Error(), "toml: ")}
	}
	line, column := decodeErr.Position()
	key := []string(decodeErr.Key())

	// A document that decodes into a map has valid syntax, so an error at a
	// known key is a value that does not fit the field's type.
	var doc map[string]any
	if len(key) > 0 && toml.Unmarshal(data, &doc) == nil {
		if field, ok := lookup(key); ok {
			return &Error{Name: name, Line: line, Column: column, Key: strings.Join(key, "."), Err: ErrType,
				Msg: fmt.Sprintf("%s must be %s, found %s", strings.Join(key, "."), expected(field), found(doc, key))}
		}
	}
	return &Error{Name: name, Line: line, Column: column, Err: ErrSyntax,
		Msg: "invalid TOML: " + strings.TrimPrefix(decodeErr.Error(), "toml: ")}
}

func unknownKey(e *toml.DecodeError, name string) *Error {
	line, column := e.Position()
	key := []string(e.Key())

	// Find the table that contains the first unknown part of the key.
	parent := configType
	prefix := ""
	for _, part := range key {
		field, ok := fieldByKey(parent, part)
		if !ok || field.Type.Kind() != reflect.Struct {
			break
		}
		parent = field.Type
		prefix += part + "."
	}
	where := "top-level keys are"
	if prefix != "" {
		where = fmt.Sprintf("keys in [%s] are", strings.TrimSuffix(prefix, "."))
	}
	dotted := strings.Join(key, ".")
	return &Error{Name: name, Line: line, Column: column, Key: dotted, Err: ErrUnknownKey,
		Msg: fmt.Sprintf("unknown key %q; valid %s %s", dotted, where, keyList(parent))}
}

// checkMissing returns an error for every key of Config that present lacks.
func checkMissing(present map[string]any, name string) error {
	var errs []error
	var walk func(t reflect.Type, table map[string]any, prefix string)
	walk = func(t reflect.Type, table map[string]any, prefix string) {
		for i := range t.NumField() {
			field := t.Field(i)
			key := tomlKey(field)
			value, ok := table[key]
			switch {
			case !ok && field.Type.Kind() == reflect.Struct:
				errs = append(errs, &Error{Name: name, Key: prefix + key, Err: ErrMissingKey,
					Msg: fmt.Sprintf("missing table [%s%s]; add it with %s", prefix, key, keyList(field.Type))})
			case !ok:
				errs = append(errs, &Error{Name: name, Key: prefix + key, Err: ErrMissingKey,
					Msg: fmt.Sprintf("missing key %q; add it, because a configuration must set every key", prefix+key)})
			case field.Type.Kind() == reflect.Struct:
				sub, _ := value.(map[string]any) // the strict decoding checked the type
				walk(field.Type, sub, prefix+key+".")
			}
		}
	}
	walk(configType, present, "")
	if len(errs) == 0 {
		return nil
	}
	return joinErrors(errs)
}

// joinErrors returns the only error itself, so callers can type-assert it,
// and several joined.
func joinErrors(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// found describes the value at key in doc for an error message.
func found(doc map[string]any, key []string) string {
	var value any = doc
	for _, part := range key {
		table, ok := value.(map[string]any)
		if !ok {
			return "another type"
		}
		value = table[part]
	}
	switch v := value.(type) {
	case string:
		return fmt.Sprintf("string %q", v)
	case int64:
		return fmt.Sprintf("integer %d", v)
	case float64:
		return "float " + formatFloat(v)
	case bool:
		return fmt.Sprintf("boolean %v", v)
	case map[string]any:
		return "a table"
	case []any:
		return "an array"
	default:
		return fmt.Sprintf("%T", v) // dates and times
	}
}

// formatFloat formats v as TOML would write it, so 10 reads "10.0".
func formatFloat(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 0):
		return strings.TrimSuffix(s, "Inf") + "inf"
	case !strings.ContainsAny(s, ".e"):
		return s + ".0"
	}
	return s
}
