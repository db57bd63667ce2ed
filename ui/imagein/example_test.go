package imagein_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"

	"github.com/ebmlab/ebmlab/ui/imagein"
)

func ExampleDecode() {
	// A dark "1" drawn on white paper, as a scanner or paint program makes it.
	img := image.NewGray(image.Rect(0, 0, 56, 42))
	for y := range 42 {
		for x := range 56 {
			img.SetGray(x, y, color.Gray{Y: 240})
			if x >= 26 && x < 30 && y >= 6 && y < 36 {
				img.SetGray(x, y, color.Gray{Y: 20})
			}
		}
	}
	var file bytes.Buffer
	if err := png.Encode(&file, img); err != nil {
		log.Fatal(err)
	}

	mnist := imagein.Target{C: 1, H: 28, W: 28, Lo: -1, Hi: 1, Background: -1}
	res, err := imagein.Decode(&file, "one.png", mnist, imagein.Options{Resize: imagein.KeepAspectPad})
	if err != nil {
		log.Fatal(err)
	}
	for _, step := range res.Steps {
		fmt.Println(step)
	}
	fmt.Printf("corner %.2f, stroke %.2f\n", res.Input[0], res.Input[14*28+14])
	// Output:
	// Gray 56×42 is already grey
	// resized 56×42 → 28×21 with Catmull-Rom, keeping the aspect ratio, padded to 28×28 with black
	// inverted: border is bright (0.94) but the data's background is dark
	// values mapped from [0, 1] to [-1, 1]
	// corner -1.00, stroke 0.75
}
