package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestCommittedIconMatchesRender(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, render()); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "icon.png"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Error("assets/icon.png differs from the render: run go run ./assets/internal/mkicon")
	}
}
