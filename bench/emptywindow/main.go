// Command emptywindow opens an empty Fyne window the size of Backsight's
// main window and waits. It is the toolkit's own floor for
// bench/rest_memory.sh: whatever an app built on Fyne and OpenGL uses at rest
// before it shows anything of its own. Build it with the app's tags
// (no_emoji), so that both carry the same fonts.
//
// Usage: go build -tags no_emoji -o emptywindow ./bench/emptywindow
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.backsight.bench.emptywindow")
	w := a.NewWindow("Backsight bench: empty Fyne window")

	// One label and one button: regular and bold text, the two font
	// faces every Fyne window parses (buttons are bold).
	w.SetContent(widget.NewForm(widget.NewFormItem("Empty", widget.NewButton("Window", nil))))
	w.Resize(fyne.NewSize(1200, 780))
	w.ShowAndRun()
}
