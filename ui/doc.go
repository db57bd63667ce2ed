// Package ui builds the EBM Lab explorer window: live views of an
// energy-based model while it trains, and the controls that tune its
// Langevin sampler and optimiser between two steps.
//
// # Layout
//
// The window content has three parts. On the left a scrollable control
// panel holds the Start/Pause, Step, Update and Reset buttons, the data
// set and model selectors and one slider with a numeric entry per
// setting. On the right four views share the space. The first shows the
// samples of the last training batch, or for 2-D data the energy landscape
// with data points and samples. The second is the filmstrip of one
// Langevin chain, or for 2-D data its energy against the Langevin step.
// The third is the energy histogram of held-out data, samples and noise,
// and the fourth the training curves, next to the list of
// divergence-guard events. A banner above the views shows the newest guard
// event until the user dismisses it. A status bar at the bottom shows the
// iteration, the throughput, the effective temperature, the BLAS backend
// and the engine's last message. A tab column beside the views lists
// dropped images (energy, percentiles, relax and inpainting) and the
// out-of-distribution table. The File menu opens data sets, checkpoints
// and run configurations, saves checkpoints (also on a timer) and exports
// pictures, metrics, the replay buffer and the energies of dropped files.
//
// The package never imports fyne.io/fyne/v2/app, so tests build the whole
// window with the headless driver of fyne.io/fyne/v2/test.
//
// # Threading
//
// Three kinds of goroutine touch an Explorer.
//
//   - The engine goroutine calls OnSnapshot, which stores the newest
//     snapshot and returns at once.
//   - One render goroutine, started by NewExplorer and stopped by Close,
//     draws the pictures at most 20 times per second and hands them to the
//     UI goroutine with fyne.Do. Plots drawn by gonum/plot (curves,
//     landscape, the energy of a 2-D chain) are redrawn at most 4 times per
//     second, and a picture whose inputs did not change is not redrawn.
//   - The UI goroutine owns every widget and the settings shown by the
//     controls. Loading another data set runs on a short-lived goroutine
//     that Close waits for.
//
// The render goroutine waits for the UI goroutine to apply one frame
// before it draws the next, so a slow screen slows rendering rather than
// queueing frames. It stops waiting when Close is called, so Close may run
// on the UI goroutine. Close must run as soon as the window's event loop
// ends, because Fyne then runs fyne.Do functions on the calling goroutine.
//
// # Settings
//
// Every control change builds a new train.Settings from the settings in
// force and passes it to Engine.SetSettings, which validates it and applies
// it at the next Langevin step. A rejected change shows the engine's
// message under the control and moves the control back to the value in
// force. Step size λ, noise σ, Langevin steps, gradient clip and learning
// rate use log-scale sliders, whose position is log10 of the value rounded
// to two significant digits. Batch and buffer sizes use powers of two.
// Every entry accepts any value in the range its error message names. The
// effective Langevin temperature is σ²/(2λ), and "temperature 1" ties
// σ = √(2λ).
//
// # Preferences
//
// The last-used settings are stored in fyne.Preferences under keys of the
// form "settings.<preset>.<field>", one set per network preset because
// useful values differ by orders of magnitude between presets (λ = 10 for
// the image networks, 0.01 for the 2-D one). RestoredSettings reads them
// back. A missing value keeps its default from train.DefaultSettings, and a
// stored set that does not validate is replaced by the defaults as a whole.
// The data range and the settings without a
// control (clamping, data noise, energy bound, Adam betas) always come from
// the defaults. The last data set and preset are stored under
// "explorer.data" and "explorer.preset" and read by LastChoice.
//
// # Tooltips
//
// Fyne 2.7 has no tooltips. fyne.io/x/fyne has none either, and its
// version v0.0.0-20261007154834-b636b6d322fc requires Fyne 2.8, while
// github.com/dweymouth/fyne-tooltip is not served by the module proxy this
// project builds with. Each control therefore carries a help
// line under it that states its meaning and unit.
package ui
