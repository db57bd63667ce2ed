package runconfig

import (
	"fmt"
	"reflect"
	"strings"
)

// configType is the schema of a configuration file: its toml tags give the
// keys, and its field types the expected value types.
var configType = reflect.TypeFor[Config]()

func tomlKey(field reflect.StructField) string {
	key, _, _ := strings.Cut(field.Tag.Get("toml"), ",")
	return key
}

func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if tomlKey(t.Field(i)) == key {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// lookup returns the field of Config at a dotted key path.
func lookup(key []string) (reflect.StructField, bool) {
	var field reflect.StructField
	t := configType
	for i, part := range key {
		f, ok := fieldByKey(t, part)
		if !ok || (i < len(key)-1 && f.Type.Kind() != reflect.Struct) {
			return reflect.StructField{}, false
		}
		field, t = f, f.Type
	}
	return field, len(key) > 0
}

// keyList lists the keys of t, tables in brackets, for error messages.
func keyList(t reflect.Type) string {
	keys := make([]string, t.NumField())
	for i := range keys {
		field := t.Field(i)
		if field.Type.Kind() == reflect.Struct {
			keys[i] = "[" + tomlKey(field) + "]"
		} else {
			keys[i] = tomlKey(field)
		}
	}
	return strings.Join(keys, ", ")
}

// expected describes the values a field accepts, for error messages.
func expected(field reflect.StructField) string {
	switch field.Type.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int:
		return "an integer"
	case reflect.Uint64:
		return fmt.Sprintf("an integer from 0 to %d", uint64(MaxSeed))
	case reflect.Float64:
		return "a number"
	case reflect.Struct:
		return "a table"
	}
	panic(fmt.Sprintf("runconfig: field %s has type %v, which the schema does not describe", field.Name, field.Type))
}
