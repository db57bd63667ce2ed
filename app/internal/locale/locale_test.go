package locale

import "testing"

func TestLanguageless(t *testing.T) {
	cases := map[string]bool{
		"C":           true,
		"C.UTF-8":     true,
		"POSIX":       true,
		"en_US.UTF-8": false,
		"de_DE":       false,
		"":            false,
	}
	for v, want := range cases {
		if got := languageless(v); got != want {
			t.Errorf("languageless(%q) = %v, want %v", v, got, want)
		}
	}
}
