// Package locale gives Fyne a language tag before Fyne reads the locale.
//
// Fyne v2.7.1 parses the user's locale while its lang package initialises,
// and logs "Error parsing user locale C" three times when the locale is
// C or POSIX, as it is in containers and CI. Those lines would open every
// command's output, help included. This package maps such a locale to
// en_US.UTF-8 in its init function. Its import path sorts before Fyne's
// locale dependencies (github.com/jeandeaual/go-locale) and it imports
// only the standard library, so Go's initialisation order (packages in
// import-path order as soon as their imports are initialised, since Go
// 1.21) runs it first.
package locale

import (
	"os"
	"strings"
)

// languageless reports whether a locale value names no language.
func languageless(v string) bool {
	base, _, _ := strings.Cut(v, ".")
	return base == "C" || base == "POSIX"
}

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if languageless(v) {
			os.Setenv(name, "en_US.UTF-8")
		}
		return
	}
}
