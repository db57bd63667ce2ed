// Package imagein converts a user's image file into exactly the tensor
// that a model takes as input, and records each conversion step in words
// so that the window can show why an input looks the way it does.
//
// # Formats
//
// PNG, JPEG and GIF use the standard library decoders; BMP, TIFF and WebP
// use golang.org/x/image. The format is detected from the content, never
// from the extension: a file whose extension names another format is
// decoded by its content and the mismatch is listed in Result.Steps. GIF
// and multi-page TIFF files give their first frame. JPEG files in the
// Adobe CMYK layout decode to image.CMYK and are converted with the
// color.CMYK model, R = (1−C)(1−K), without a colour profile.
//
// # Conversion
//
// The steps run in this order, on values in [0, 1]:
//
//  1. Resize the decoded image to Target.H×Target.W with the Catmull-Rom
//     kernel of golang.org/x/image/draw (a separable cubic filter whose
//     support widens when downscaling, so it also averages away detail
//     smaller than a target pixel). Sizes that already match are copied
//     without resampling. Resampling runs on premultiplied 16-bit RGBA,
//     so 16-bit sources keep their precision and transparent pixels do
//     not bleed their colour into their neighbours.
//  2. Invert the colours of the image when Options.Invert is Invert, or
//     when it is Auto and the rule below selects inversion. Inversion maps
//     c → 1 − c on straight (non-premultiplied) colour.
//  3. Composite over the background intensity
//     b = (Target.Background − Target.Lo) / (Target.Hi − Target.Lo),
//     so transparent pixels and the padding of KeepAspectPad become
//     Target.Background exactly. Inverting before compositing keeps the
//     empty areas at the data's background, and black strokes drawn on
//     a transparent canvas become white strokes on black.
//  4. For Target.C == 1, take the ITU-R BT.601 luma
//     Y' = 0.299 R' + 0.587 G' + 0.114 B' of the gamma-encoded values as
//     stored in the file (no linearisation, as most image tools do).
//     For Target.C == 3, keep R, G and B, so grey sources give three
//     equal channels.
//  5. Map [0, 1] linearly onto [Target.Lo, Target.Hi].
//
// Result.Input has length C·H·W in NCHW order (channel, then row, then
// column), and every value lies in [Target.Lo, Target.Hi].
//
// # Polarity
//
// MNIST digits are white strokes on a black background, while most
// scanned or drawn digits are dark on white. Auto estimates the image's
// background from the one-pixel border of the resized content. When the
// border is mostly opaque, Auto inverts when the mean border luminance is
// on the other side of 0.5 from the background intensity b (for MNIST,
// when the border is brighter than 0.5). When the border is mostly
// transparent, the transparent area already becomes the background, so
// Auto instead inverts when the drawn pixels are on the same side of 0.5
// as b (dark ink on MNIST's black). Keep and Invert never change their
// choice, but Result.Suggestion names the other one when Auto would
// choose differently and the measured luma is at least 0.1 away from 0.5.
//
// # Errors and limits
//
// Every error from DecodeFile and Decode is a *FileError whose message
// names the file, the reason and what the user can do, in the form
// "NAME: reason (detail); fix", ready to show in the window. Its Kind is
// one of the Err values of this package, so callers test it with
// errors.Is. Files larger than Options.MaxBytes are rejected before they
// are read, and images whose header declares more than Options.MaxPixels
// pixels are rejected before their pixels are decoded, so a small file
// that declares a huge image cannot exhaust memory. A decoded image of
// the default maximum of 40e6 pixels takes up to 320 MB as 16-bit RGBA
// (8 bytes per pixel). A panic inside a decoder is reported as ErrCorrupt
// instead of ending the program.
//
// Invalid Target or Options values are programming mistakes and panic
// with an "imagein:" prefix.
//
// The package does not import a GUI toolkit or the model, and all of its
// functions are safe for concurrent use.
package imagein
